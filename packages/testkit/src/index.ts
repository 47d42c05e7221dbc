export { chatSummary, settle, viaEmitter } from './broadcast.js';
export { insertChat } from './chats.js';
export {
  type ClientOptions,
  type ConnectError,
  closeAllClients,
  connectDashboard,
  connected,
  dashboardClient,
  nextEvent,
  recordEvents,
  refusalOf,
  request,
  type ServerEventName,
  type ServerPayload,
  type TestClient,
} from './clients.js';
export { createTestDatabase, type TestDatabase } from './database.js';
export {
  FakeGraph,
  type FakeGraphOptions,
  type FakeMedia,
  type Fault,
  type SeenRequest,
} from './fake-graph/fake-graph.js';
export { type GraphError, GraphErrors, graphError } from './fake-graph/graph-error.js';
export { type AcceptedSend, FakeMessages, type StatusWebhooks } from './fake-graph/messages-route.js';
export { type FakeRequest, type FakeResponse, type Route, type RouteHandler, Router } from './fake-graph/router.js';
export {
  type FakeTemplate,
  FakeTemplates,
  SAMPLE_BUSINESS_ACCOUNTS,
  sampleTemplates,
} from './fake-graph/templates-route.js';
export { fixtureNames, readFixture } from './fixtures.js';
export { freePort } from './free-port.js';
export { type GatewayNode, serviceEnv, startGateway, startWorker, uniquePrefix } from './gateway.js';
export { malformedPayloads, type PayloadCase, validRequests } from './payload-cases.js';
export { AppProcess, type LogLine, repoRoot, startNode } from './process.js';
export { RandomBalancer } from './random-balancer.js';
export { Random, randomValue } from './random-inputs.js';
export { RedisServer } from './redis-server.js';
export { resolveServices, type Services } from './services.js';
export { TcpSwitch } from './tcp-switch.js';
export { signToken, TEST_JWT_SECRET, TEST_METRICS_TOKEN, unsignedToken } from './tokens.js';
export { until } from './until.js';
export {
  escapeNonAscii,
  type InboundImage,
  type InboundText,
  imageMessage,
  newWamid,
  type PostWebhookInit,
  postWebhook,
  SAMPLE_NUMBERS,
  type StatusInput,
  type StatusKind,
  signBody,
  statusUpdate,
  TEST_ACCESS_TOKEN,
  TEST_APP_SECRET,
  TEST_VERIFY_TOKEN,
  textMessage,
  textWebhook,
  type WebhookBody,
  type WebhookChange,
  type WebhookContactInput,
  type WebhookValue,
  webhookBody,
} from './whatsapp-webhooks.js';
