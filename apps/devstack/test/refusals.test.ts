import { startNode } from '@care-chat/testkit';
import { expect, it } from 'vitest';

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
