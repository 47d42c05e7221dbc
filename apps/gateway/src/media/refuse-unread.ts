import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How long the rest of a refused body is let in, unread, after the answer. Closing at once would reset
 * the connection while the client still sends, and a reset can destroy the answer before the client reads
 * it: a client that has the answer stops sending well within this.
 */
const LINGER_MS = 1000;

/**
 * For an answer given before the request's body has all come (a file refused halfway): what still arrives
 * is dropped as it comes, never parsed or kept, and the connection is closed LINGER_MS after the answer.
 */
export function dropTheRest(request: IncomingMessage, response: ServerResponse): void {
  if (request.readableEnded) return;
  request.unpipe();
  request.resume();
  response.once('finish', () => {
    if (request.readableEnded) return;
    // A body that ends in time leaves the connection as good as any, for the client's next request.
    const timer = setTimeout(() => request.socket.destroy(), LINGER_MS);
    request.once('end', () => clearTimeout(timer));
    request.socket.once('close', () => clearTimeout(timer));
  });
}
