import { describe, expect, it } from 'vitest';
import type { TestClient } from './clients.js';
import { useCluster } from './cluster.js';
import type { Document } from './events.js';

const cluster = useCluster(3);

/** Who got `hello`, by client name, once the marker is in. */
async function helloReached(clients: TestClient[], via = 0): Promise<string[]> {
  await cluster().settle(clients, via);
  return clients.flatMap((client, i) => client.payloads('hello').map(() => `c${i}`));
}

describe('broadcast across three servers', () => {
  it('reaches every client on every server', async () => {
    const clients = await cluster().connectEach([], [], []);
    cluster().io(1).emit('hello', 'all', 1);
    expect(await helloReached(clients, 1)).toEqual(['c0', 'c1', 'c2']);
  });

  it('reaches the members of one room only', async () => {
    const clients = await cluster().connectEach(['a'], ['b'], ['a']);
    cluster().io(0).to('a').emit('hello', 'a', 1);
    expect(await helloReached(clients)).toEqual(['c0', 'c2']);
  });

  it('reaches a socket in two of the rooms once', async () => {
    const clients = await cluster().connectEach(['a', 'b'], ['b'], ['c']);
    cluster().io(2).to(['a', 'b']).emit('hello', 'a or b', 1);
    expect(await helloReached(clients, 2)).toEqual(['c0', 'c1']);
  });

  it('leaves out the sockets of `except` rooms, with or without `to`', async () => {
    const clients = await cluster().connectEach(['a'], ['a', 'x'], []);
    cluster().io(1).to('a').except('x').emit('hello', 'a but not x', 1);
    cluster().io(1).except('x').emit('hello', 'all but x', 2);
    await cluster().settle(clients, 1);
    expect(clients.map((client) => client.payloads('hello'))).toEqual([
      [
        ['a but not x', 1],
        ['all but x', 2],
      ],
      [],
      [['all but x', 2]],
    ]);
  });

  it('with `local`, reaches the sockets of the server that sent it only, without an offset', async () => {
    const clients = await cluster().connectEach([], [], []);
    cluster().io(0).local.emit('hello', 'here', 1);
    expect(await helloReached(clients)).toEqual(['c0']);
    // Not in the stream: nothing a reconnecting client could name.
    expect(clients[0]?.of('hello')[0]?.offset).toBeUndefined();
  });

  it('with `volatile`, reaches every client, with its entry id as the offset (never replayed)', async () => {
    const clients = await cluster().connectEach([], [], []);
    cluster().io(2).volatile.emit('hello', 'volatile', 1);
    expect(await helloReached(clients, 2)).toEqual(['c0', 'c1', 'c2']);
    const offsets = clients.map((client) => client.of('hello')[0]?.offset);
    expect(offsets[0]).toMatch(/^\d+-\d+$/);
    expect(new Set(offsets).size).toBe(1);
  });

  it('from the Emitter, reaches the room on every server, its entry id as the offset', async () => {
    const clients = await cluster().connectEach(['a'], ['a'], ['b']);
    const id = await cluster().emitter.to('a').emit('hello', 'from a worker', 1);
    expect(await helloReached(clients)).toEqual(['c0', 'c1']);
    expect(clients.slice(0, 2).map((client) => client.of('hello')[0]?.offset)).toEqual([id, id]);
  });

  it('carries several JSON arguments of every kind as they were', async () => {
    const clients = await cluster().connectEach([], [], []);
    const doc: Document = {
      text: 'नमस्ते "quoted" \n',
      nested: { list: [1, 2.5, -3, null, true], empty: {} },
      nil: null,
    };
    cluster().io(0).emit('document', doc, ['x', ''], false, 0);
    void cluster().emitter.emit('document', doc, [], true, 1);
    await Promise.all(clients.map((client) => client.received('document', 2)));
    for (const client of clients) {
      expect(client.payloads('document')).toEqual([
        [doc, ['x', ''], false, 0],
        [doc, [], true, 1],
      ]);
    }
  });

  it('keeps the order of 100 emits from each of two sources, the same for every client', async () => {
    const clients = await cluster().connectEach([], [], []);
    const written: Promise<string>[] = [];
    for (let n = 0; n < 100; n++) {
      cluster().io(0).emit('seq', 'server', n);
      written.push(cluster().emitter.emit('seq', 'emitter', n));
    }
    await Promise.all(written);
    await Promise.all(clients.map((client) => client.received('seq', 200)));
    const sequences = clients.map((client) => client.of('seq'));
    for (const sequence of sequences) {
      for (const source of ['server', 'emitter']) {
        const numbers = sequence.filter(({ args }) => args[0] === source).map(({ args }) => args[1]);
        expect(numbers).toEqual(Array.from({ length: 100 }, (_, n) => n));
      }
    }
    // Every server delivers in stream order: one interleaving for all, in the order of the offsets.
    const offsets = sequences.map((sequence) => sequence.map(({ offset }) => offset));
    expect(offsets[1]).toEqual(offsets[0]);
    expect(offsets[2]).toEqual(offsets[0]);
    const entries = (await cluster().entries()).map(([id]) => id);
    expect(offsets[0]).toEqual(entries.filter((id) => offsets[0]?.includes(id)));
  });
});
