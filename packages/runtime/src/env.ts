/** Every bad variable at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Reads one variable; throws an Error whose message says what is wrong with the value. */
export type Field<T> = (raw: string | undefined) => T;

type Parsed<S extends Record<string, Field<unknown>>> = { readonly [K in keyof S]: ReturnType<S[K]> };

/**
 * Parses `source` once against `spec`. `refine` checks what spans several variables and returns
 * `NAME: problem` lines. Throws a ConfigError naming every bad variable; returns a frozen object.
 */
export function parseEnv<S extends Record<string, Field<unknown>>>(
  source: EnvSource,
  spec: S,
  refine: (values: Parsed<S>) => string[] = () => [],
): Parsed<S> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec)) {
    const raw = source[name];
    try {
      values[name] = field(raw === '' ? undefined : raw);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  // Runs even when a field failed, so every bad variable is named at once; a refinement reads only
  // optional fields, which always parse.
  problems.push(...refine(values as Parsed<S>));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values) as Parsed<S>;
}

// RFC 7518 §3.2: an HMAC-SHA256 key is at least as long as the hash, 256 bits.
const MIN_SECRET_BYTES = 32;

/** Why `value` is too short to be a secret, or null. */
export function secretProblem(value: string): string | null {
  const bytes = Buffer.byteLength(value);
  return bytes >= MIN_SECRET_BYTES
    ? null
    : `must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes} (openssl rand -base64 32 makes one)`;
}

function checkSecret(value: string): void {
  const problem = secretProblem(value);
  if (problem !== null) throw new Error(problem);
}

function required(raw: string | undefined): string {
  if (raw === undefined) throw new Error('is required');
  return raw;
}

export const env = {
  string:
    (fallback: string): Field<string> =>
    (raw) =>
      raw ?? fallback,

  requiredString: (): Field<string> => required,

  optionalString: (): Field<string | undefined> => (raw) => raw,

  integer:
    (fallback: number, min: number, max: number): Field<number> =>
    (raw) => {
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
        throw new Error(`must be an integer from ${min} to ${max}, got "${raw}"`);
      }
      return value;
    },

  url:
    (fallback: string, protocols: readonly string[]): Field<string> =>
    (raw) => {
      const value = raw ?? fallback;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new Error('must be a URL');
      }
      if (!protocols.includes(url.protocol)) throw new Error(`must use one of: ${protocols.join(', ')}`);
      return value;
    },

  /** Optional; when set, at least 32 bytes. */
  secret: (): Field<string | undefined> => (raw) => {
    if (raw !== undefined) checkSecret(raw);
    return raw;
  },

  /** Optional; when set, one or more secrets separated by commas (so one can be rotated out), each a `secret`. */
  secrets: (): Field<readonly string[] | undefined> => (raw) =>
    raw === undefined ? undefined : env.list([], checkSecret)(raw),

  /** Optional; when set, an origin as a browser writes it: scheme://host[:port], http or https, no path. */
  origin: (): Field<string | undefined> => (raw) => {
    if (raw === undefined) return undefined;
    const url = URL.parse(raw);
    if (url === null || !['http:', 'https:'].includes(url.protocol) || url.origin !== raw) {
      throw new Error(`must be an origin (scheme://host[:port], e.g. https://chat.example.com), got "${raw}"`);
    }
    return raw;
  },

  oneOf:
    <T extends string>(values: readonly T[], fallback: T): Field<T> =>
    (raw) => {
      const value = raw ?? fallback;
      if (!(values as readonly string[]).includes(value)) throw new Error(`must be one of: ${values.join(', ')}`);
      return value as T;
    },

  boolean:
    (fallback: boolean): Field<boolean> =>
    (raw) => {
      if (raw === undefined) return fallback;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new Error(`must be true or false, got "${raw}"`);
    },

  /**
   * A comma-separated list, trimmed. An empty item (two commas in a row, or one at an end) is refused: it
   * is more often a value that went missing than a typo. `check` throws saying what is wrong with an item.
   */
  list:
    (fallback: readonly string[], check: (item: string) => void = () => {}): Field<readonly string[]> =>
    (raw) => {
      if (raw === undefined) return fallback;
      const items = raw.split(',').map((item) => item.trim());
      if (items.includes('')) throw new Error(`has an empty item, got "${raw}"`);
      for (const item of items) check(item);
      return items;
    },
} as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
