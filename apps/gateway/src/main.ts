import { boot, onShutdownSignal } from '@care-chat/runtime';
import { buildApp } from './app.js';
import { loadConfig } from './env.js';
import { assertCanListenOn } from './listen-check.js';

const { log, config } = boot('gateway', () => loadConfig(process.env));
await assertCanListenOn(config.host);

const app = await buildApp(config, log);
await app.listen({ port: config.port, host: config.host });
onShutdownSignal(log, config.shutdownTimeoutMs, async () => {
  app.drain.start();
  log.info({ drainDelayMs: config.drainDelayMs }, 'draining: not ready, refusing new sessions');
  await new Promise((resolve) => setTimeout(resolve, config.drainDelayMs));
  await app.close();
});
const address = app.server.address();
log.info({ port: typeof address === 'object' && address !== null ? address.port : config.port }, 'gateway listening');
