// jsonb holds neither NUL nor half a surrogate pair (`invalid input syntax for type json`), and WhatsApp
// text, or a field Meta adds, can carry either. The message is kept: NUL is dropped and a lone half becomes
// U+FFFD, in keys as in values.
const needsCleaning = (text: string): boolean => text.includes('\u0000') || !text.isWellFormed();
const clean = (text: string): string => text.replaceAll('\u0000', '').toWellFormed();

function storable(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return needsCleaning(value) ? clean(value) : value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some(needsCleaning)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [clean(key), inner]));
  }
  return value;
}

/** `value` as JSON that PostgreSQL takes as jsonb, whatever strings it holds. */
export const toJsonb = (value: unknown): string => JSON.stringify(value, storable);
