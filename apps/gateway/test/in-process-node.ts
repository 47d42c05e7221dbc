import { createLogger } from '@care-chat/runtime';
import { serviceEnv, TEST_APP_SECRET, TEST_JWT_SECRET, TEST_VERIFY_TOKEN } from '@care-chat/testkit';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/env.js';

/**
 * A gateway node built by the same `buildApp` that `main.js` runs, inside the test process, so a test
 * can make it broadcast the way a gateway handler does (`io.to(room).emit`).
 */
export async function startInProcessNode(prefix: string) {
  const config = loadConfig({
    ...serviceEnv(prefix),
    JWT_SECRET: TEST_JWT_SECRET,
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
  });
  const app = await buildApp(config, createLogger('gateway-in-process', 'warn'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}
