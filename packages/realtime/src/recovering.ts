import type { Broadcast } from './fan-out.js';

/** Whether a socket in `rooms` is among those a broadcast to `target` selects (no rooms named: everyone). */
export function reaches(rooms: ReadonlySet<string>, target: { rooms: Iterable<string>; except?: Iterable<string> }) {
  for (const room of target.except ?? []) if (rooms.has(room)) return false;
  let named = false;
  for (const room of target.rooms) {
    if (rooms.has(room)) return true;
    named = true;
  }
  return !named;
}

/** How long a recovered socket may take to connect before what is held for it is let go. */
const HOLD_MS = 60_000;

interface Held {
  rooms: ReadonlySet<string>;
  queue: Broadcast[];
  timer: NodeJS.Timeout;
}

/**
 * Recovered sockets between their recovery and their connection. Socket.IO restores a session before the
 * socket's middlewares run (where its token is checked), and would write its missed packets then: here
 * nothing is written to it until it is connected. Its missed packets, and what is delivered meanwhile to
 * the rooms it had, wait in order; once connected, it gets those that reach the rooms it is in then (its
 * token, checked again, may allow fewer), and live delivery goes on from there.
 */
export class RecoveringSockets {
  readonly #held = new Map<string, Held>();

  hold(sid: string, rooms: readonly string[], missed: Broadcast[]): void {
    this.forget(sid);
    const timer = setTimeout(() => this.#held.delete(sid), HOLD_MS);
    timer.unref();
    this.#held.set(sid, { rooms: new Set(rooms), queue: missed, timer });
  }

  isHeld(sid: string): boolean {
    return this.#held.has(sid);
  }

  /** Keeps each broadcast for the held sockets it reaches. */
  offer(broadcasts: readonly Broadcast[]): void {
    if (this.#held.size === 0) return;
    for (const held of this.#held.values()) {
      for (const broadcast of broadcasts) if (reaches(held.rooms, broadcast.options)) held.queue.push(broadcast);
    }
  }

  /** What was kept for `sid` that reaches `rooms`, in order; the socket is not held any more. */
  release(sid: string, rooms: ReadonlySet<string>): Broadcast[] {
    const held = this.#held.get(sid);
    this.forget(sid);
    return held?.queue.filter((broadcast) => reaches(rooms, broadcast.options)) ?? [];
  }

  forget(sid: string): void {
    clearTimeout(this.#held.get(sid)?.timer);
    this.#held.delete(sid);
  }
}
