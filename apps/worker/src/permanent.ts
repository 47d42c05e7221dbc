import pg from 'pg';

// SQLSTATE classes that the same statement on the same data meets again however often it is tried: data
// exceptions (22: invalid text for a type, a value out of range, malformed JSON) and integrity constraint
// violations (23). Everything else may pass: Redis or PostgreSQL away, read-only, loading or out of memory,
// a deadlock, a shutdown, or a bug the next deploy fixes.
const PERMANENT_SQLSTATE_CLASSES: ReadonlySet<string> = new Set(['22', '23']);

/** Is `error` one that no later attempt can cure? Only errors known to be lasting are; the rest are retried. */
export function isPermanent(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && PERMANENT_SQLSTATE_CLASSES.has(error.code?.slice(0, 2) ?? '');
}
