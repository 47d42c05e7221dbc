import { createServer } from 'node:net';
import { createTestDatabase, startNode, uniquePrefix } from '@care-chat/testkit';
import { expect, inject, it } from 'vitest';

it('says what is wrong when REDIS_URL names a Redis that does not answer, and exits 1', async () => {
  const stack = startNode('apps/devstack/dist/main.js', { PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' });
  expect(await stack.exited).toBe(1);
  expect(stack.output.join('\n')).toContain('REDIS_URL is set but nothing answers there');
});

it('names a bad variable and exits 2 before starting anything', async () => {
  const stack = startNode('apps/devstack/dist/main.js', { GATEWAYS: 'many' });
  expect(await stack.exited).toBe(2);
  expect(stack.output.join('\n')).toContain('GATEWAYS');
});

it('says which port is taken when PORT is, and exits 1', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as { port: number };
  const database = await createTestDatabase();
  try {
    const stack = startNode('apps/devstack/dist/main.js', {
      PORT: String(port),
      REDIS_URL: inject('redisUrl'),
      DATABASE_URL: database.url,
      REDIS_KEY_PREFIX: uniquePrefix(),
    });
    expect(await stack.exited).toBe(1);
    expect(stack.output.join('\n')).toContain(`port ${port} is in use`);
  } finally {
    taken.close();
    await database.drop();
  }
});
