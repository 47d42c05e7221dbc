import {
  type ClientEventName,
  type ClientRequests,
  type ClientResponse,
  type ClientToServerEvents,
  type ServerToClientEvents,
  SOCKET_PATH,
} from '@care-chat/contract';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ServerEventName = keyof ServerToClientEvents & string;
export type ServerPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** The refusal a client sees in `connect_error`. */
export type ConnectError = Error & { data?: { code?: string } };

const open = new Set<TestClient>();

/** A client configured exactly as the dashboard configures its own (`chat.service.ts`). */
export function dashboardClient(url: string, token: string | undefined, options: ClientOptions = {}): TestClient {
  const client: TestClient = io(url, {
    path: SOCKET_PATH,
    query: token === undefined ? {} : { token },
    transports: ['websocket', 'polling'],
    reconnectionAttempts: 5,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    forceNew: true,
    ...options,
  });
  open.add(client);
  return client;
}

/** Resolves on `connect`, rejects with the `connect_error`. */
export function connected(client: TestClient, timeoutMs = 10_000): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export function connectDashboard(url: string, token: string | undefined, options: ClientOptions = {}) {
  return connected(dashboardClient(url, token, options));
}

/** The `connect_error` a refused client gets (reconnection off, so it is final). */
export async function refusalOf(url: string, token: string | undefined, options: ClientOptions = {}) {
  try {
    await connectDashboard(url, token, { reconnection: false, ...options });
  } catch (error) {
    return error as ConnectError;
  }
  throw new Error('the connection was accepted');
}

/** The next `event` on `client`, or a rejection after `timeoutMs`. */
export function nextEvent<E extends ServerEventName>(
  client: TestClient,
  event: E,
  timeoutMs = 5000,
  match: (payload: ServerPayload<E>) => boolean = () => true,
): Promise<ServerPayload<E>> {
  const target = client as unknown as Socket;
  const name: string = event;
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]) => {
      const payload = args[0] as ServerPayload<E>;
      if (!match(payload)) return;
      clearTimeout(timer);
      target.off(name, listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      target.off(name, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    target.on(name, listener);
  });
}

/** Every payload of `events` that reaches `client` from now on, by event name. */
export function recordEvents(client: TestClient, events: readonly string[]): Map<string, unknown[]> {
  const seen = new Map<string, unknown[]>(events.map((event) => [event, []]));
  (client as unknown as Socket).onAny((event: string, payload: unknown) => seen.get(event)?.push(payload));
  return seen;
}

/** Emits a client event with an ack and resolves with the ack's answer. */
export function request<E extends ClientEventName>(
  client: TestClient,
  event: E,
  data: ClientRequests[E] | unknown,
  timeoutMs = 5000,
): Promise<ClientResponse<E>> {
  const raw = client as unknown as Socket;
  return raw.timeout(timeoutMs).emitWithAck(event, data) as Promise<ClientResponse<E>>;
}

/** Disconnects every client these helpers opened; for `afterEach`. */
export function closeAllClients(): void {
  for (const client of open) client.disconnect();
  open.clear();
}
