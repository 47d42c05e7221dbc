/**
 * Asks `probe` until `check` passes or `timeoutMs` runs out, and returns its last answer: for what
 * changes by itself, in its own time (a drain starting, an entry expiring), with no event to wait for.
 */
export async function until<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
