import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { ClientEvent, responseEvent } from '@care-chat/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { LightClient } from '../src/light-client.js';

/** An unmasked server text frame, with the 7-bit, 16-bit or 64-bit length its size calls for. */
function serverFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  const header =
    n < 126
      ? Buffer.from([0x81, n])
      : n < 65_536
        ? Buffer.from([0x81, 126, n >> 8, n & 0xff])
        : Buffer.concat([Buffer.from([0x81, 127]), Buffer.from(new BigUint64Array([BigInt(n)]).buffer).reverse()]);
  return Buffer.concat([header, payload]);
}

const update = (message: number, sent: number, padding = 0) =>
  serverFrame(
    `42["room_update",{"chat_id":"c${message}","pad":"${'x'.repeat(padding)}","last_message":"b${message}.${sent}"},"${1_700_000_000_000 + message}-0"]`,
  );

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/**
 * A peer that speaks just enough Engine.IO: it upgrades, opens, answers the namespace connect and the join,
 * then hands the socket to `afterJoin`. Client frames are masked with a zero key, so their text is as sent.
 */
async function peer(afterJoin: (socket: Socket, received: () => string) => void): Promise<string> {
  const server = createServer((socket) => {
    let received = '';
    let stage = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (stage === 0 && received.includes('\r\n\r\n')) {
        stage = 1;
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
        socket.write(serverFrame('0{"sid":"s","pingInterval":25000,"pingTimeout":20000}'));
      } else if (stage === 1 && received.includes('40')) {
        stage = 2;
        socket.write(serverFrame('40{"sid":"n"}'));
      } else if (stage === 2 && received.includes(ClientEvent.JoinRoom)) {
        stage = 3;
        socket.write(serverFrame(`42["${responseEvent(ClientEvent.JoinRoom)}",{"status":1,"room":"r"}]`));
        afterJoin(socket, () => received);
      }
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('LightClient', () => {
  it('joins its room, answers pings, and reads every update whatever the frame sizes and TCP chunks', async () => {
    const updates: [number, number, number | undefined][] = [];
    let done: () => void = () => {};
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    let pinged: (received: string) => void = () => {};
    const ponged = new Promise<string>((resolve) => {
      pinged = resolve;
    });
    const url = await peer((socket, received) => {
      // Short, 16-bit and 64-bit lengths, a stats frame without a message, and a ping, cut into 7-byte chunks.
      const stream = Buffer.concat([
        update(1, 1_700_000_000_000_001),
        serverFrame('42["dashboard_stats",{"active":3}]'),
        update(2, 1_700_000_000_000_002, 300),
        serverFrame('2'),
        update(3, 1_700_000_000_000_003, 70_000),
      ]);
      for (let at = 0; at < stream.length; at += 7) socket.write(stream.subarray(at, at + 7));
      socket.on('data', () => {
        if (received().endsWith('3')) pinged(received());
      });
    });
    const client = new LightClient(url, 'token', 'r', (message, sent, streamMs) => {
      updates.push([message, sent, streamMs]);
      if (updates.length === 3) done();
    });
    await client.connect(5000);
    await Promise.all([all, ponged]);
    client.close();
    expect(updates).toEqual([
      [1, 1_700_000_000_000_001, 1_700_000_000_001],
      [2, 1_700_000_000_000_002, 1_700_000_000_002],
      [3, 1_700_000_000_000_003, 1_700_000_000_003],
    ]);
  });

  it('fails its connect when the handshake is refused', async () => {
    const server = createServer((socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = new LightClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 't', 'r', () => {});
    await expect(client.connect(5000)).rejects.toThrow(/handshake refused: HTTP\/1.1 403/);
  });
});
