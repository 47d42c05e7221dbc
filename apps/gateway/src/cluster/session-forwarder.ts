import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Log, splice } from '@care-chat/runtime';
import { Agent, type Dispatcher, errors } from 'undici';
import { ForwardError } from '../errors.js';
import type { InternalNetwork } from './internal-network.js';
import type { NodeRegistry } from './node-registry.js';

/** Marks a forwarded request, so a node never forwards it again (a stale registry cannot make a loop). */
const FORWARDED = 'x-care-chat-forwarded';

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection; undici sets its own.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface ForwardOptions {
  /** Where peers may be: their URLs come from Redis. */
  network: InternalNetwork;
  /** How long a peer may take to accept a connection, to start answering, or between two chunks. */
  timeoutMs: number;
  /** How long a long-polling GET waits for packets before it is answered anyway (the ping interval). */
  longPollMs: number;
  /** Told of each request or upgrade passed on (or not) to its session's owner. */
  onForwarded?: (kind: 'request' | 'upgrade', outcome: 'ok' | 'unknown_session' | 'failed') => void;
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.includes(name)),
  ) as IncomingHttpHeaders;
}

/** An HTTP answer to a request that cannot be passed on. */
interface Refusal {
  status: number;
  body: string;
}

// What Engine.IO answers for a session it does not have: the client then reconnects, and recovers.
const UNKNOWN_SESSION: Refusal = { status: 400, body: JSON.stringify({ code: 1, message: 'Session ID unknown' }) };

/** Timeouts are the peer being slow; anything else (refused, reset, a name outside the network) unreachable. */
function refusalOf(err: unknown): Refusal {
  const timedOut =
    err instanceof errors.ConnectTimeoutError ||
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError;
  const { status, error, message } = ForwardError[timedOut ? 'peerTimeout' : 'peerUnavailable'];
  return { status, body: JSON.stringify({ status: 0, error, message }) };
}

const answer = (res: ServerResponse, { status, body }: Refusal) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);

/** The same answer written on the raw socket of an upgrade, which has no response object. */
const answerUpgrade = (socket: Duplex, { status, body }: Refusal) =>
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );

/**
 * Load balancers without sticky sessions (Railway's) send each HTTP request of a long-polling client to
 * any replica. Every Engine.IO session id starts with the id of the node that owns it; a request for
 * another node's session is passed to that node's internal URL, WebSocket upgrades included, before
 * Engine.IO would refuse it as "Session ID unknown". Whatever the peer does (refuse, hang, vanish, be
 * no URL at all), the client gets an answer and this node carries on.
 */
export function forwardForeignSessions(
  server: Server,
  path: string,
  registry: NodeRegistry,
  options: ForwardOptions,
  log: Log,
): { close(): Promise<void> } {
  const { network, timeoutMs, longPollMs, onForwarded = () => {} } = options;
  const dispatcher = new Agent({
    connect: { timeout: timeoutMs, lookup: network.lookup },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
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
  const headersFor = (req: IncomingMessage) => ({ ...withoutHopByHop(req.headers), [FORWARDED]: registry.nodeId });

  const forwardRequest = async (req: IncomingMessage, res: ServerResponse, origin: string) => {
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    // The path goes as it came (a URL would resolve `/ws/../`): the peer sees what this node would.
    const answer = await dispatcher.request({
      origin,
      path: req.url ?? '/',
      method: req.method as Dispatcher.HttpMethod,
      headers: headersFor(req),
      body: hasBody ? req : null,
      signal: aborted.signal,
      // A long-polling GET is answered when there are packets, or at the next ping.
      headersTimeout: req.method === 'GET' ? longPollMs + timeoutMs : timeoutMs,
    });
    res.writeHead(answer.statusCode, withoutHopByHop(answer.headers));
    await pipeline(answer.body, res);
  };

  const forwardUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, origin: string) => {
    const aborted = new AbortController();
    socket.on('close', () => aborted.abort());
    // An Agent takes the origin of each request, which the type of upgrade options does not name.
    const options: Dispatcher.UpgradeOptions & { origin: string } = {
      origin,
      path: req.url ?? '/',
      headers: headersFor(req),
      protocol: String(req.headers.upgrade ?? 'websocket'),
      signal: aborted.signal,
    };
    const peer = await dispatcher.upgrade(options);
    const lines = Object.entries(peer.headers).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((one) => `${name}: ${one}`),
    );
    socket.write(`HTTP/1.1 101 Switching Protocols\r\n${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) peer.socket.write(head);
    splice(socket, peer.socket);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const owner = ownerOf(req);
    if (owner === null) {
      for (const listener of onRequest) listener.call(server, req, res);
      return;
    }
    void (async () => {
      try {
        const origin = await registry.originOf(owner);
        if (origin === null) {
          onForwarded('request', 'unknown_session');
          return answer(res, UNKNOWN_SESSION);
        }
        await forwardRequest(req, res, origin);
        onForwarded('request', 'ok');
      } catch (err) {
        onForwarded('request', 'failed');
        log.debug({ err, owner }, 'forwarded request failed');
        if (res.headersSent) res.destroy();
        else answer(res, refusalOf(err));
      }
    })();
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const owner = ownerOf(req);
    if (owner === null) {
      for (const listener of onUpgrade) listener.call(server, req, socket, head);
      return;
    }
    // The client's side failing is no news: the upgrade ends with it.
    socket.on('error', () => socket.destroy());
    void (async () => {
      try {
        const origin = await registry.originOf(owner);
        if (origin === null) {
          onForwarded('upgrade', 'unknown_session');
          return answerUpgrade(socket, UNKNOWN_SESSION);
        }
        await forwardUpgrade(req, socket, head, origin);
        onForwarded('upgrade', 'ok');
      } catch (err) {
        onForwarded('upgrade', 'failed');
        log.debug({ err, owner }, 'forwarded upgrade failed');
        answerUpgrade(socket, refusalOf(err));
      }
    })();
  });

  return { close: () => dispatcher.close() };
}
