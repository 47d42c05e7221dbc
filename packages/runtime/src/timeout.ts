/** Rejects when `promise` has not settled within `ms`; a probe of a dead peer must not hang its caller. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Start-up waits for a dependency a little (they often start together), then fails naming it, so a
 * misconfigured replica stops at once instead of serving while unready.
 */
export async function waitUntilReady(
  name: string,
  probe: () => Promise<unknown>,
  { timeoutMs = 10_000, retryMs = 250 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await withTimeout(probe(), Math.min(2000, timeoutMs), name);
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new Error(`${name} is unreachable after ${timeoutMs} ms: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
