import { expect, it, vi } from 'vitest';
import type { TestClient } from './clients.js';
import { useCluster } from './cluster.js';

const cluster = useCluster(2);
const RUN = 10;

/** Counts what the fan-out hands the client's connection on server `index`: one call is one write. */
function writesTo(client: TestClient, index: number) {
  const socket = cluster()
    .io(index)
    .of('/')
    .sockets.get(client.socket.id ?? '');
  if (socket === undefined) throw new Error('no such socket on that server');
  return vi.spyOn(socket.client as unknown as { writeToEngine: (...args: unknown[]) => void }, 'writeToEngine');
}

/**
 * Broadcasts read together go to a WebSocket as back-to-back frames in one write; each is still an event
 * of its own, in order, with its own offset. Polling clients get them one by one.
 */
it.each([
  ['websocket', 1],
  ['polling', RUN],
] as const)(
  'a run of %s broadcasts written in one step arrives as separate events, in order, in %i write(s)',
  async (transport, writes) => {
    const [near, far] = (await Promise.all(
      [0, 1].map((index) => cluster().connect(index, { rooms: ['r'] }, { transports: [transport] })),
    )) as [TestClient, TestClient];
    const written = writesTo(near, 0);
    const published = await cluster().emitter.publishOnce(`run-${transport}`, (group) => {
      for (let n = 0; n < RUN; n++) group.to('r').emit('seq', 'run', n);
    });
    expect(published).toBe(true);
    const ids = (await cluster().entries()).slice(-RUN).map(([id]) => id);
    for (const client of [near, far]) {
      await client.received('seq', RUN);
      expect(client.of('seq')).toEqual(ids.map((offset, n) => ({ event: 'seq', args: ['run', n], offset })));
    }
    expect(written).toHaveBeenCalledTimes(writes);
  },
);
