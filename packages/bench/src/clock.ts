/** Microseconds since the epoch, comparable across threads and processes of this machine. */
export const nowMicros = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);
