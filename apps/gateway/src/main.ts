import { ConfigError, createLogger, exitOnFatalError, onShutdownSignal } from '@care-chat/runtime';
import { buildApp } from './app.js';
import { type GatewayConfig, loadConfig } from './env.js';

const log = createLogger('gateway', 'info');
exitOnFatalError(log);

let config: GatewayConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log.fatal({ problems: error.problems }, error.message);
  process.exit(1);
}
log.level = config.logLevel;

const app = await buildApp(config, log);
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
log.info({ port: typeof address === 'object' && address !== null ? address.port : config.port }, 'gateway listening');

onShutdownSignal(log, config.shutdownTimeoutMs, async () => {
  app.drain.start();
  log.info({ drainDelayMs: config.drainDelayMs }, 'draining: not ready, refusing new sessions');
  await new Promise((resolve) => setTimeout(resolve, config.drainDelayMs));
  await app.close();
});
