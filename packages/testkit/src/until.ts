/**
 * Asks `probe` until `check` passes on its answer, and resolves with that answer; rejects naming `what`
 * after `timeoutMs`. For what a test can only learn by asking (a count in the database, a health answer).
 */
export async function until<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
