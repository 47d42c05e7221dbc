export { chatSummary, settle, type TestEmitter, testEmitter, viaEmitter } from './broadcast.js';
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
export { type GatewayNode, serviceEnv, startGateway, uniquePrefix } from './gateway.js';
export { malformedPayloads, type PayloadCase, validRequests } from './payload-cases.js';
export { AppProcess, type LogLine, repoRoot, startNode } from './process.js';
export { resolveServices, type Services } from './services.js';
export { TcpSwitch } from './tcp-switch.js';
export { signToken, TEST_JWT_SECRET, unsignedToken } from './tokens.js';
