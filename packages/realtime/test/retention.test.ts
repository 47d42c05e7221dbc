import { EMITTER_UID, encodeEntry, streamRetentionMs } from '@care-chat/realtime';
import { RedisServer } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { MessageType } from 'socket.io-adapter';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type Cluster, startCluster } from './cluster.js';

const RECOVERY_WINDOW_MS = 1000;
/** How far from the retention limit the seeded entries are: far beyond any clock drift during a test. */
const MARGIN_MS = 5000;

let redisServer: RedisServer;
let cluster: Cluster;

/**
 * XADD trims with `MINID ~`, which drops whole stream nodes only. On a Redis whose nodes hold one entry
 * each, approximate trimming is exact, so the limit itself is what is tested: window + 60 s.
 */
beforeAll(async () => {
  redisServer = await RedisServer.start();
  const admin = new Redis(redisServer.url);
  await admin.config('SET', 'stream-node-max-entries', '1');
  admin.disconnect();
  cluster = await startCluster(1, { redisUrl: redisServer.url, recoveryWindowMs: RECOVERY_WINDOW_MS });
});

afterAll(async () => {
  await cluster?.close();
  await redisServer?.kill();
});

beforeEach(() => cluster.redis.del(cluster.keys.stream));

const seededEntry = (ageMs: number, seq: number): [string, string[]] => [
  `${Date.now() - ageMs}-${seq}`,
  encodeEntry({
    uid: EMITTER_UID,
    nsp: '/',
    type: MessageType.BROADCAST,
    data: {
      packet: { type: 2, data: ['hello', 'old', seq], nsp: '/' },
      opts: { rooms: ['nobody'], except: [], flags: {} },
    },
  }),
];

const writers: [string, (cluster: Cluster) => Promise<unknown>][] = [
  [
    'a server’s broadcast',
    async (c) => {
      const client = await c.connect(0);
      c.io(0).emit('hello', 'new', 1);
      await client.received('hello', 1);
    },
  ],
  ['the Emitter’s emit', (c) => c.emitter.emit('hello', 'new', 1)],
  ['the Emitter’s once', (c) => c.emitter.publishOnce(`group-${Date.now()}`, (group) => group.emit('hello', 'new', 1))],
  ['the Emitter’s socketsJoin', (c) => c.emitter.socketsJoin('r')],
];

it.each(writers)('%s drops entries older than the window and a minute, and keeps younger ones', async (_, write) => {
  const retention = streamRetentionMs(RECOVERY_WINDOW_MS);
  const old = [seededEntry(retention + MARGIN_MS, 1), seededEntry(retention + MARGIN_MS, 2)];
  const young = [seededEntry(retention - MARGIN_MS, 1), seededEntry(retention - MARGIN_MS, 2)];
  for (const [id, fields] of [...old, ...young]) await cluster.redis.xadd(cluster.keys.stream, id, ...fields);
  await write(cluster);
  const kept = (await cluster.entries()).map(([id]) => id);
  expect(kept.slice(0, 2)).toEqual(young.map(([id]) => id));
  expect(kept).toHaveLength(3);
});
