/** How long after a disconnection a session may still be recovered, unless configured otherwise. */
export const DEFAULT_RECOVERY_WINDOW_MS = 2 * 60 * 1000;

/**
 * How long the stream keeps entries: the recovery window and a margin for packets that were in flight
 * when the connection dropped, so a session that can be recovered never misses a trimmed entry.
 */
export const streamRetentionMs = (recoveryWindowMs: number) => recoveryWindowMs + 60_000;

/** The XADD trimming arguments that drop entries older than the retention (approximately: `~`). */
export function trimArgs(recoveryWindowMs: number, now = Date.now()): ['MINID', '~', string] {
  return ['MINID', '~', `${now - streamRetentionMs(recoveryWindowMs)}-0`];
}
