import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Passes an HTTP upgrade (a WebSocket handshake and everything after it) to another server: the request
 * is written again as it came, with `extraHeaders`, then both sockets are joined. Either side closing or
 * failing closes both.
 */
export function relayUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: { host: string; port: number },
  extraHeaders: Record<string, string> = {},
): void {
  const upstream = connect(target.port, target.host, () => {
    const lines: string[] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    for (const [name, value] of Object.entries(extraHeaders)) lines.push(`${name}: ${value}`);
    upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    socket.pipe(upstream).pipe(socket);
  });
  closeTogether(socket, upstream);
}

/** Joins two connected sockets both ways. */
export function splice(a: Duplex, b: Duplex): void {
  a.pipe(b).pipe(a);
  closeTogether(a, b);
}

/** Either side closing or failing closes both. */
function closeTogether(a: Duplex, b: Duplex): void {
  const close = () => {
    a.destroy();
    b.destroy();
  };
  for (const side of [a, b]) {
    side.on('error', close);
    side.on('close', close);
  }
}
