import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type ClusterOptions, useCluster } from './cluster.js';
import { TEST_RECOVERY_WINDOW_MS } from './fixtures/server.js';

const configurations: [string, ClusterOptions][] = [
  ['middlewares skipped for recovered sockets', {}],
  [
    // As an authentication that asks another service does: the socket is restored, not yet connected.
    'an asynchronous middleware run for recovered sockets too',
    {
      io: { connectionStateRecovery: { maxDisconnectionDuration: TEST_RECOVERY_WINDOW_MS, skipMiddlewares: false } },
      middleware: (_socket, next) => void setTimeout(next, 20),
    },
  ],
];

/**
 * A recovering socket's replay must end exactly where live delivery to it begins, on a server that goes
 * on delivering meanwhile: nothing missed, nothing twice.
 */
describe.each(configurations)('recovery while broadcasts flow, with %s', (_, options) => {
  const cluster = useCluster(2, options);

  it('every packet arrives exactly once, in order', async () => {
    const relay = await cluster().relay(0);
    const client = await cluster().connect(relay.url);
    let sent = 0;
    let sentAtRecovery: number | undefined;
    // One emit a turn, so that entries keep coming through the whole reconnection, and 100 after it.
    const flowing = (async () => {
      while (sentAtRecovery === undefined || sent < Math.max(200, sentAtRecovery + 100)) {
        await cluster().emitter.emit('seq', 'flow', sent++);
        await nextTurn();
      }
    })();
    await client.received('seq', 50);
    relay.switchTo(cluster().server(1).port);
    const recovered = await client.cut();
    sentAtRecovery = sent;
    await flowing;
    await cluster().settle([client], 1);
    expect(recovered).toBe(true);
    expect(client.payloads('seq').map(([, n]) => n)).toEqual(Array.from({ length: sent }, (_, n) => n));
  });
});
