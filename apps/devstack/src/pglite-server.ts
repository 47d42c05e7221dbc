/**
 * PostgreSQL for `npm start` where none is installed: PGlite (PostgreSQL compiled to WebAssembly, in
 * memory) served over the wire protocol by `@electric-sql/pglite-socket`, in a process of its own so its
 * queries do not share an event loop with the balancer. Prints one JSON line once it listens:
 *   node apps/devstack/dist/pglite-server.js [port]
 * PGlite is one PostgreSQL session; the socket server multiplexes connections over it, running each
 * transaction whole before the next (the tier's transactions keep their isolation, one at a time).
 * Session state is shared, so session-level advisory locks do not exclude each other: the dev stack
 * migrates alone before the apps start.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// Above what the stack opens: two gateways' pools of 10, the worker's concurrency and its 2 more.
const MAX_CONNECTIONS = 100;

const db = await PGlite.create();
const server = new PGLiteSocketServer({
  db,
  port: Number(process.argv[2] ?? 0),
  host: '127.0.0.1',
  maxConnections: MAX_CONNECTIONS,
});
server.addEventListener('listening', (event) => {
  const { port } = (event as CustomEvent<{ port: number }>).detail;
  console.log(JSON.stringify({ level: 30, msg: 'pglite listening', port }));
});
await server.start();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await server.stop();
    await db.close();
    process.exit(0);
  });
}
