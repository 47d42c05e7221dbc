import { type AppProcess, startNode } from './process.js';
import { TEST_JWT_SECRET, TEST_METRICS_TOKEN } from './tokens.js';
import { SAMPLE_NUMBERS, TEST_ACCESS_TOKEN, TEST_APP_SECRET, TEST_VERIFY_TOKEN } from './whatsapp-webhooks.js';

export interface GatewayNode {
  process: AppProcess;
  port: number;
  url: string;
}

/** `node apps/gateway/dist/main.js` on a free port, resolved once it logs that it listens. */
export async function launchGateway(
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<GatewayNode> {
  const process = startNode(
    'apps/gateway/dist/main.js',
    {
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      METRICS_TOKEN: TEST_METRICS_TOKEN,
      WHATSAPP_APP_SECRET: TEST_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
      DRAIN_DELAY_MS: '200',
      ...env,
    },
    [],
    nodeFlags,
  );
  const listening = await process.waitForLog((line) => line.msg === 'gateway listening');
  const port = listening.port as number;
  return { process, port, url: `http://127.0.0.1:${port}` };
}

/** `node apps/worker/dist/main.js`, resolved once it logs that it is ready. */
export async function launchWorker(
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<AppProcess> {
  const worker = startNode(
    'apps/worker/dist/main.js',
    { WHATSAPP_NUMBERS: JSON.stringify(SAMPLE_NUMBERS), STATS_INTERVAL_MS: '50', ...env },
    [],
    nodeFlags,
  );
  await worker.waitForLog((line) => line.msg === 'worker ready');
  return worker;
}
