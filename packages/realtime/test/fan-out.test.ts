import type { BroadcastOptions } from 'socket.io-adapter';
import { describe, expect, it } from 'vitest';
import { type AdapterInternals, type Broadcast, FanOut, type FanOutSocket } from '../src/fan-out.js';

/**
 * The fan-out's scheduling, on sockets that record what they are written: which packets, in which writes,
 * in which order across sockets. (That real sockets get those writes as separate events is tested on real
 * servers in merged-writes.test.ts.)
 */
class RecordingSocket implements FanOutSocket {
  readonly writes: string[][] = [];
  readonly client: FanOutSocket['client'];

  /** `writeMs`: how long each write takes, as a system call to a real socket does. */
  constructor(
    readonly rooms: Set<string>,
    log: string[],
    transport = 'websocket',
    writeMs = 0,
  ) {
    this.client = {
      conn: { transport: { name: transport } },
      writeToEngine: (packets, options) => {
        const done = performance.now() + writeMs;
        while (performance.now() < done);
        const frames = options.wsPreEncodedFrame?.map(String).join('') ?? String(packets[0]);
        const names = frames.split(';').filter(Boolean);
        this.writes.push(names);
        log.push(...names);
      },
    };
  }

  get received(): string[] {
    return this.writes.flat();
  }
}

function adapterOf(sockets: readonly RecordingSocket[]): AdapterInternals {
  return {
    // One frame per packet, named by its event and ending in `;`, so merged frames can be told apart.
    _encode: (packet, options) => {
      options.wsPreEncodedFrame = [Buffer.from(`${String(packet.data[0])};`)];
      return [`${String(packet.data[0])};`];
    },
    apply: (options: BroadcastOptions, callback) => {
      for (const socket of sockets) if ([...options.rooms].some((room) => socket.rooms.has(room))) callback(socket);
    },
  };
}

const broadcast = (event: string, room: string): Broadcast => ({
  packet: { type: 2, data: [event], nsp: '/' },
  options: { rooms: new Set([room]), except: new Set(), flags: {} },
});

const turn = () => new Promise((resolve) => setImmediate(resolve));
async function until(condition: () => boolean, timeoutMs = 2000) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
async function settled(...sockets: RecordingSocket[][]) {
  for (let i = 0; i < 100; i++) await turn();
  return sockets;
}

describe('FanOut', () => {
  it('writes a large broadcast in slices, letting the event loop go between them', async () => {
    const log: string[] = [];
    const sockets = Array.from({ length: 1000 }, () => new RecordingSocket(new Set(['dashboard']), log));
    new FanOut(adapterOf(sockets), undefined, undefined, 0).deliver([broadcast('stats', 'dashboard')]);
    expect(log).toHaveLength(1);
    await until(() => log.length === 1000);
    expect(sockets.every((socket) => socket.received.join() === 'stats')).toBe(true);
  });

  it('ends a slice when its time is up, not after a number of sockets', async () => {
    const log: string[] = [];
    const sockets = Array.from({ length: 100 }, () => new RecordingSocket(new Set(['dashboard']), log, 'websocket', 1));
    new FanOut(adapterOf(sockets), undefined, undefined, 5).deliver([broadcast('stats', 'dashboard')]);
    // Writes of 1 ms each: about five fit in the slice (fewer if this process was paused meanwhile).
    expect(log.length).toBeGreaterThan(0);
    expect(log.length).toBeLessThanOrEqual(6);
    await until(() => log.length === 100);
  });

  it('writes a whole room of quick sockets in one slice by default', () => {
    const log: string[] = [];
    const sockets = Array.from({ length: 1000 }, () => new RecordingSocket(new Set(['dashboard']), log));
    new FanOut(adapterOf(sockets)).deliver([broadcast('stats', 'dashboard')]);
    expect(log).toHaveLength(1000);
  });

  it('lets a smaller later broadcast through first, each socket still getting its packets in stream order', async () => {
    const log: string[] = [];
    const everyone = Array.from({ length: 1000 }, (_, i) => {
      const rooms = new Set(['dashboard', ...(i % 4 === 0 ? ['partner'] : [])]);
      return new RecordingSocket(rooms, log);
    });
    const partners = everyone.filter((socket) => socket.rooms.has('partner'));
    const fanOut = new FanOut(adapterOf(everyone), undefined, undefined, 0);
    fanOut.deliver([broadcast('stats', 'dashboard')]);
    const writtenBefore = new Set(everyone.filter((socket) => socket.writes.length > 0));
    fanOut.deliver([broadcast('update', 'partner')]);
    await until(() => everyone.every((socket) => socket.received.length === (socket.rooms.has('partner') ? 2 : 1)));

    for (const socket of everyone)
      expect(socket.received).toEqual(socket.rooms.has('partner') ? ['stats', 'update'] : ['stats']);
    // The update reached all its sockets before the stats reached all of theirs.
    expect(log.lastIndexOf('update')).toBeLessThan(log.lastIndexOf('stats'));
    // A socket still owed the stats got them with the update, in one write.
    for (const socket of partners.filter((s) => !writtenBefore.has(s)))
      expect(socket.writes).toEqual([['stats', 'update']]);
  });

  it('merges a run read together into one write per WebSocket, and writes packets one by one to polling', async () => {
    const log: string[] = [];
    const websocket = new RecordingSocket(new Set(['partner', 'dashboard']), log);
    const polling = new RecordingSocket(new Set(['partner', 'dashboard']), log, 'polling');
    new FanOut(adapterOf([websocket, polling])).deliver([
      broadcast('update-1', 'partner'),
      broadcast('stats', 'dashboard'),
      broadcast('update-2', 'partner'),
    ]);
    await settled();
    expect(websocket.writes).toEqual([['update-1', 'stats', 'update-2']]);
    expect(polling.writes).toEqual([['update-1'], ['stats'], ['update-2']]);
  });

  it('keeps a smaller broadcast first when a larger one to the same sockets comes right after it', async () => {
    const log: string[] = [];
    const everyone = Array.from(
      { length: 1000 },
      (_, i) => new RecordingSocket(new Set(['dashboard', ...(i % 4 === 0 ? ['partner'] : [])]), log),
    );
    new FanOut(adapterOf(everyone)).deliver([broadcast('update', 'partner'), broadcast('stats', 'dashboard')]);
    await settled();
    for (const socket of everyone) {
      expect(socket.writes).toEqual(socket.rooms.has('partner') ? [['update', 'stats']] : [['stats']]);
    }
    // The 250 sockets in the update's room were written (update and stats each) before any other socket.
    expect(log.slice(0, 500).filter((name) => name === 'update')).toHaveLength(250);
  });

  describe('with dashboard stats held back for company', () => {
    const HOLD_MS = 100;
    const holdStats = (b: Broadcast) => (b.packet.data[0] === 'stats' ? HOLD_MS : 0);

    it('writes them when the hold ends if nothing else comes', async () => {
      const log: string[] = [];
      const sockets = Array.from({ length: 10 }, () => new RecordingSocket(new Set(['dashboard']), log));
      const start = performance.now();
      new FanOut(adapterOf(sockets), holdStats).deliver([broadcast('stats', 'dashboard')]);
      await settled();
      expect(log).toEqual([]);
      await until(() => log.length === 10);
      expect(performance.now() - start).toBeGreaterThanOrEqual(HOLD_MS - 5);
      expect(sockets.every((socket) => socket.writes.length === 1)).toBe(true);
    });

    it('sends them ahead of the next packet to a socket, in the same write, without waiting for the hold', async () => {
      const log: string[] = [];
      const everyone = Array.from(
        { length: 8 },
        (_, i) => new RecordingSocket(new Set(['dashboard', ...(i % 2 === 0 ? ['partner'] : [])]), log),
      );
      const fanOut = new FanOut(adapterOf(everyone), holdStats);
      fanOut.deliver([broadcast('stats', 'dashboard')]);
      fanOut.deliver([broadcast('update', 'partner')]);
      await settled();
      const partners = everyone.filter((socket) => socket.rooms.has('partner'));
      const others = everyone.filter((socket) => !socket.rooms.has('partner'));
      expect(partners.map((socket) => socket.writes)).toEqual(partners.map(() => [['stats', 'update']]));
      expect(others.every((socket) => socket.writes.length === 0)).toBe(true);
      await until(() => others.every((socket) => socket.writes.length === 1));
      expect(others.map((socket) => socket.writes)).toEqual(others.map(() => [['stats']]));
    });

    it('does not hold back a packet that was waiting before them', async () => {
      const log: string[] = [];
      const everyone = Array.from({ length: 600 }, () => new RecordingSocket(new Set(['dashboard', 'partner']), log));
      const fanOut = new FanOut(adapterOf(everyone), holdStats);
      fanOut.deliver([broadcast('update', 'partner'), broadcast('stats', 'dashboard')]);
      await settled();
      expect(everyone.map((socket) => socket.writes)).toEqual(everyone.map(() => [['update', 'stats']]));
    });
  });
});
