import { Agent, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Log, relayUpgrade } from '@care-chat/runtime';
import type { NodeRegistry } from './node-registry.js';

/** Marks a forwarded request, so a node never forwards it again (a stale registry cannot make a loop). */
const FORWARDED = 'x-care-chat-forwarded';
const agent = new Agent({ keepAlive: true });

// What Engine.IO answers for a session it does not have: the client then reconnects, and recovers.
const UNKNOWN_SESSION = JSON.stringify({ code: 1, message: 'Session ID unknown' });

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Load balancers without sticky sessions (Railway's) send each HTTP request of a long-polling client to
 * any replica. Every Engine.IO session id starts with the id of the node that owns it; a request for
 * another node's session is passed to that node's internal URL, WebSocket upgrades included, before
 * Engine.IO would refuse it as "Session ID unknown".
 */
export function forwardForeignSessions(server: Server, path: string, registry: NodeRegistry, log: Log): void {
  const onRequest = server.listeners('request') as RequestListener[];
  const onUpgrade = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('request');
  server.removeAllListeners('upgrade');

  const ownerOf = (req: IncomingMessage): string | null => {
    if (req.headers[FORWARDED] !== undefined || !req.url?.startsWith(path)) return null;
    const sid = new URL(req.url, 'http://x').searchParams.get('sid');
    const owner = sid === null ? null : registry.ownerOf(sid);
    return owner === registry.nodeId ? null : owner;
  };

  /** Resolves the owner's URL, or null to handle the request here (unknown owners included). */
  const route = async (req: IncomingMessage): Promise<string | null> => {
    const owner = ownerOf(req);
    return owner === null ? null : registry.urlOf(owner);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (ownerOf(req) === null) {
      for (const listener of onRequest) listener.call(server, req, res);
      return;
    }
    void route(req).then((url) => {
      if (url === null) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(UNKNOWN_SESSION);
        return;
      }
      const upstream = request(new URL(req.url ?? '/', url), {
        method: req.method,
        headers: { ...req.headers, [FORWARDED]: registry.nodeId },
        agent,
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (err) => {
        log.debug({ err }, 'forwarded request failed');
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' }).end(UNKNOWN_SESSION);
        else res.destroy();
      });
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (ownerOf(req) === null) {
      for (const listener of onUpgrade) listener.call(server, req, socket, head);
      return;
    }
    void route(req).then((url) => {
      if (url === null) return socket.destroy();
      const target = new URL(url);
      relayUpgrade(
        req,
        socket,
        head,
        { host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 80) },
        { [FORWARDED]: registry.nodeId },
      );
    });
  });
}
