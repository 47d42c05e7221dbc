import { readFileSync } from 'node:fs';
import { ClientEvent, CUSTOMER_TYPE_ROUTES, ServerEvent, SOCKET_PATH } from '@care-chat/contract';
import fp from 'fastify-plugin';
import { LOGIN_PATH } from './login.js';

const PAGE_DIR = new URL('../../console/', import.meta.url);
export const CONSOLE_PATH = '/dev/console';

/** The names the page uses, from the contract, so the page has no event or room name of its own. */
const contract = {
  socketPath: SOCKET_PATH,
  loginPath: LOGIN_PATH,
  routes: CUSTOMER_TYPE_ROUTES,
  events: {
    joinRoom: ClientEvent.JoinRoom,
    joinChat: ClientEvent.JoinChat,
    fetchChat: ClientEvent.FetchChatsByUser,
    fetchChats: ClientEvent.FetchAllChats,
    sendMessage: ClientEvent.SendMessage,
    newMessage: ServerEvent.NewMessage,
    messageStatus: ServerEvent.MessageStatus,
    dashboardStats: ServerEvent.DashboardStats,
  },
};

const name = { type: 'string' } as const;
const contractSchema = {
  type: 'object',
  required: ['socketPath', 'loginPath', 'routes', 'events'],
  properties: {
    socketPath: name,
    loginPath: name,
    routes: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['room', 'event'], properties: { room: name, event: name } },
    },
    events: { type: 'object', additionalProperties: name },
  },
} as const;

// The page's own files and the Socket.IO client from /ws, nothing from elsewhere.
const CSP = "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

/**
 * The console: a static page (no build step) to log in as an executive, watch the four rooms live with
 * their latency, send a simulated customer message, reply, and see delivery statuses; under `npm start`
 * also to kill and restart gateways. Only with DEV_CONSOLE (on unless NODE_ENV=production).
 */
export default fp(
  async (app) => {
    if (!app.config.devConsole) return;
    const file = (name: string) => readFileSync(new URL(name, PAGE_DIR), 'utf8');
    const page = file('index.html');
    const script = file('console.js');
    // A page for development, not part of the API: left out of the OpenAPI document.
    const hidden = { schema: { hide: true } };
    app.get(CONSOLE_PATH, hidden, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(page),
    );
    app.get(`${CONSOLE_PATH}/console.js`, hidden, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(script),
    );
    app.get(
      `${CONSOLE_PATH}/contract.json`,
      { schema: { hide: true, response: { 200: contractSchema } } },
      async () => contract,
    );
    app.log.child({ module: 'console' }).info({ path: CONSOLE_PATH }, 'console page served (DEV_CONSOLE)');
  },
  { name: 'console', dependencies: ['config'], fastify: '5.x' },
);
