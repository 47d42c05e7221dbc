// PostgreSQL error classes that pass: connection exceptions (08), operator intervention (57: shutdown,
// crash, cannot connect now), insufficient resources (53), and transaction rollbacks (40: serialization,
// deadlock). Anything else would fail the same way again.
const TRANSIENT_SQLSTATE = /^(08|57P0|53|40)/;
const TRANSIENT_NODE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
// node-postgres reports a lost or unobtainable connection with these messages and no code.
const TRANSIENT_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

/** Is `error` one that retrying later can cure (PostgreSQL or Redis out of reach), or a lasting one? */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE.has(code))) return true;
  return TRANSIENT_MESSAGE.test(error.message);
}
