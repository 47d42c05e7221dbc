/**
 * Socket.IO and nothing else, for comparison: dashboards join their room as they do on a gateway, and
 * `POST /emit` `{ room, event, payload }` emits at once. No webhook, queue, database, token or stats. With
 * `REDIS_URL` the nodes share rooms through the classic `@socket.io/redis-adapter`; without it, one node
 * alone is the lower bound for any stack built on Socket.IO. It logs `{"msg":"listening","port":N}` once it listens.
 */
import { createServer } from 'node:http';
import { ClientEvent, responseEvent, SOCKET_PATH } from '@care-chat/contract';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const redisUrl = process.env.REDIS_URL;
const adapter =
  redisUrl === undefined
    ? undefined
    : createAdapter(new Redis(redisUrl), new Redis(redisUrl), { key: process.env.REDIS_KEY_PREFIX ?? 'bare' });

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/emit') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      const { room, event, payload } = JSON.parse(Buffer.concat(chunks).toString()) as {
        room: string;
        event: string;
        payload: unknown;
      };
      io.to(room).emit(event, payload);
      res.writeHead(200).end();
    } catch {
      res.writeHead(400).end();
    }
  });
});

const io = new Server(server, { path: SOCKET_PATH, serveClient: false, ...(adapter && { adapter }) });
io.on('connection', (socket) => {
  socket.on(ClientEvent.JoinRoom, (request: { room?: unknown }) => {
    if (typeof request?.room !== 'string') return;
    void socket.join(request.room);
    socket.emit(responseEvent(ClientEvent.JoinRoom), { status: 1, room: request.room });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(
    JSON.stringify({ msg: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 }),
  );
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
