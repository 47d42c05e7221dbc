import type { BroadcastOptions } from 'socket.io-adapter';

/** A packet to the sockets that `options` select, as the adapter's `apply` reads them. */
export interface Broadcast {
  packet: { type: number; data: unknown[]; nsp: string };
  options: BroadcastOptions;
}

interface PacketOptions {
  preEncoded: true;
  volatile?: boolean;
  compress?: boolean;
  /** Set by the adapter's `_encode` when the whole WebSocket frame could be made once for every socket. */
  wsPreEncodedFrame?: Buffer[];
}
export type FanOutSocket = {
  client: {
    conn: { transport: { name: string } };
    writeToEngine: (packets: unknown[], options: PacketOptions) => void;
  };
};
/** Adapter members Socket.IO's typings call private; every adapter implementation relies on them. */
export interface AdapterInternals {
  _encode: (packet: Broadcast['packet'], options: PacketOptions) => unknown[];
  apply: (options: BroadcastOptions, callback: (socket: FanOutSocket) => void) => void;
}

interface Encoded {
  packets: unknown[];
  options: PacketOptions;
}

const encode = (adapter: AdapterInternals, { packet, options }: Broadcast): Encoded => {
  const packetOptions: PacketOptions = {
    preEncoded: true,
    volatile: options.flags?.volatile,
    compress: options.flags?.compress,
  };
  return { packets: adapter._encode(packet, packetOptions), options: packetOptions };
};

const mergeable = ({ options }: Encoded) => options.wsPreEncodedFrame !== undefined && !options.volatile;

/**
 * Several packets as one for Engine.IO: their WebSocket frames back to back in one buffer, which the
 * transport writes as it is, so the socket gets them, still as separate frames, in one write. The packet's
 * own data is never read (the frame replaces it), so it is left empty.
 */
function merge(parts: readonly Encoded[]): Encoded {
  const frames = parts.flatMap(({ options }) => options.wsPreEncodedFrame ?? []);
  return { packets: [''], options: { preEncoded: true, wsPreEncodedFrame: [Buffer.concat(frames)] } };
}

/**
 * Writes a run of broadcasts to this node's sockets, in order. Each packet is encoded once for all its
 * recipients, and a WebSocket that several of them reach gets them in one write: a gateway's time under
 * fan-out is mostly system calls, one per write, so a backlog is cleared in fewer, larger writes instead
 * of growing.
 */
export function fanOut(adapter: AdapterInternals, broadcasts: readonly Broadcast[]): void {
  const encoded = broadcasts.map((broadcast) => encode(adapter, broadcast));
  if (broadcasts.length === 1) {
    const [only] = encoded as [Encoded];
    adapter.apply((broadcasts[0] as Broadcast).options, (socket) =>
      socket.client.writeToEngine(only.packets, only.options),
    );
    return;
  }
  const received = new Map<FanOutSocket, number[]>();
  broadcasts.forEach(({ options }, index) => {
    adapter.apply(options, (socket) => {
      const indexes = received.get(socket);
      if (indexes === undefined) received.set(socket, [index]);
      else indexes.push(index);
    });
  });
  // Sockets in the same rooms receive the same run: one merged buffer for all of them.
  const merged = new Map<string, Encoded>();
  for (const [socket, indexes] of received) {
    const parts = indexes.map((index) => encoded[index] as Encoded);
    if (parts.length === 1 || socket.client.conn.transport.name !== 'websocket' || !parts.every(mergeable)) {
      for (const part of parts) socket.client.writeToEngine(part.packets, part.options);
      continue;
    }
    const key = indexes.join();
    let run = merged.get(key);
    if (run === undefined) {
      run = merge(parts);
      merged.set(key, run);
    }
    socket.client.writeToEngine(run.packets, run.options);
  }
}
