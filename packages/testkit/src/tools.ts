// What tools outside a test run (benchmarks, the chaos run, the dev stack) may use: nothing here reaches for vitest.

export { chatSummary } from './broadcast.js';
export { connectDashboard, request, type TestClient } from './clients.js';
export { FakeGraph } from './fake-graph/fake-graph.js';
export { type AcceptedSend, FakeMessages } from './fake-graph/messages-route.js';
export { SAMPLE_MEDIA } from './fake-graph/sample-media.js';
export { SAMPLE_BUSINESS_ACCOUNTS, sampleTemplates } from './fake-graph/templates-route.js';
export { type GatewayNode, launchGateway, launchWorker } from './launch.js';
export { LOCAL_SECRETS } from './local-secrets.js';
export { AppProcess, repoRoot, startNode } from './process.js';
export { RandomBalancer } from './random-balancer.js';
export { RedisServer } from './redis-server.js';
export { runsDir, writeReportFile } from './report-files.js';
export { signToken, TEST_JWT_SECRET, TEST_METRICS_TOKEN } from './tokens.js';
export { until } from './until.js';
export {
  newWamid,
  postWebhook,
  SAMPLE_NUMBERS,
  type StatusKind,
  signBody,
  statusUpdate,
  TEST_ACCESS_TOKEN,
  TEST_APP_SECRET,
  textWebhook,
  webhookBody,
} from './whatsapp-webhooks.js';
