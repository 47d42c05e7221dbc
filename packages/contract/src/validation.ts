import { LIMITS } from './limits.js';

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

/** Checks one field; `field` names it in the message. */
export type Check<T> = (value: unknown, field: string) => Validated<T>;

export type Validator<T> = (data: unknown) => Validated<T>;

type Shape = Record<string, Check<unknown>>;
type Output<S extends Shape> = { [K in keyof S]: S[K] extends Check<infer T> ? T : never };

// JSON.parse makes `__proto__` an own key; refusing these keeps input from ever reaching a prototype.
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

export const ok = <T>(value: T): Validated<T> => ({ ok: true, value });
export const fail = (message: string): Validated<never> => ({ ok: false, message });

/** A short, safe rendering of untrusted input for an error message. */
export function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > LIMITS.room ? `${text.slice(0, LIMITS.room)}…` : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Does `value` nest arrays and objects more than `max` levels deep? The walk stops at `max`, so input
 * deeper than the stack cannot overflow it.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max === 0) return true;
  for (const child of Object.values(value)) if (nestsDeeperThan(child, max - 1)) return true;
  return false;
}

/**
 * PostgreSQL text holds neither NUL nor half a surrogate pair: such a string is the sender's mistake, and
 * is answered as one where it arrives rather than by a failed query (and an error in the log) later.
 */
export const isStorable = (value: string): boolean => !value.includes('\u0000') && value.isWellFormed();

export function text(max: number, pattern?: RegExp): Check<string> {
  return (value, field) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      return fail(`${field} must be a string of 1 to ${max} characters`);
    }
    if (!isStorable(value) || (pattern !== undefined && !pattern.test(value))) {
      return fail(`${field} has characters that are not allowed`);
    }
    return ok(value);
  };
}

/** Opaque ids (chats, executives): printable, no spaces. */
export const id: Check<string> = text(LIMITS.id, /^[\w.:@+-]+$/);

/** A WhatsApp number: digits only, as the Cloud API writes `wa_id`. */
export const phone: Check<string> = text(LIMITS.phone, /^\d+$/);

export function oneOf<T extends string>(values: readonly T[], message?: (value: unknown) => string): Check<T> {
  const allowed: ReadonlySet<unknown> = new Set(values);
  return (value, field) =>
    allowed.has(value) ? ok(value as T) : fail(message?.(value) ?? `${field} must be one of: ${values.join(', ')}`);
}

/** `oneOf(values)` in any letter case, giving the value as `values` spell it. */
export function oneOfAnyCase<T extends string>(values: readonly T[]): Check<T> {
  const byUpper = new Map(values.map((value) => [value.toUpperCase(), value]));
  return (value, field) => {
    const found = typeof value === 'string' ? byUpper.get(value.toUpperCase()) : undefined;
    return found === undefined ? fail(`${field} must be one of: ${values.join(', ')}`) : ok(found);
  };
}

export function integer(min: number, max: number): Check<number> {
  return (value, field) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? ok(value)
      : fail(`${field} must be an integer from ${min} to ${max}`);
}

const optionalChecks = new WeakSet<Check<unknown>>();

/**
 * A field that may be left out. `null` counts as left out: the dashboard sends `null` where it has no
 * value (its agent's number, a page's type), and socket.io keeps nulls where it drops undefined.
 */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  const wrapped: Check<T | undefined> = (value, field) =>
    value === undefined || value === null ? ok(undefined) : check(value, field);
  optionalChecks.add(wrapped);
  return wrapped;
}

/**
 * A validator for an event's data: a plain object whose named fields pass their checks. The result is a
 * new object holding only those fields, so nothing else a client sent travels further.
 */
export function object<S extends Shape>(shape: S, options: { optional?: boolean } = {}): Validator<Output<S>> {
  const fields = Object.entries(shape);
  return (data) => {
    if (data === undefined && options.optional === true) data = {};
    if (!isPlainObject(data)) return fail('data must be an object');
    const keys = Object.keys(data);
    if (keys.length > LIMITS.fields) return fail(`data must have at most ${LIMITS.fields} fields`);
    const forbidden = keys.find((key) => FORBIDDEN_KEYS.includes(key));
    if (forbidden !== undefined) return fail(`data must not have a field named ${forbidden}`);
    const out: Record<string, unknown> = {};
    for (const [field, check] of fields) {
      const value = data[field];
      if ((value === undefined || value === null) && !optionalChecks.has(check)) return fail(`${field} is required`);
      const result = check(value, field);
      if (!result.ok) return result;
      if (result.value !== undefined) out[field] = result.value;
    }
    return ok(out as Output<S>);
  };
}
