import type { StatsRoom } from './dashboard-stats.js';
import type { TypeRoom } from './routes.js';

/** Every connected executive is in this room: executive presence, SLA alerts (counts go to stats rooms). */
export const DASHBOARD_ROOM = 'dashboard';

export type DashboardRoom = typeof DASHBOARD_ROOM;

/** The room of executives viewing one chat. */
export type ChatRoom = `chat_${string}`;

export function chatRoom(chatId: string): ChatRoom {
  return `chat_${chatId}`;
}

/** The chat id of a `chat_<id>` room; null for any other room. */
export function chatIdOfRoom(room: string): string | null {
  return room.startsWith('chat_') ? room.slice('chat_'.length) : null;
}

/** The sockets of one login, wherever they are connected: what its logout disconnects. */
export type LoginRoom = `login_${string}`;

export function loginRoom(loginId: string): LoginRoom {
  return `login_${loginId}`;
}

export const isLoginRoom = (room: string): room is LoginRoom => room.startsWith('login_');

/** The sockets of one executive, wherever they are connected: their assignments and SLA alerts. */
export type ExecutiveRoom = `executive_${string}`;

export function executiveRoom(executiveId: string): ExecutiveRoom {
  return `executive_${executiveId}`;
}

export const isExecutiveRoom = (room: string): room is ExecutiveRoom => room.startsWith('executive_');

/** Every room the tier broadcasts to: what an emitter to the dashboards may name. */
export type Room = TypeRoom | DashboardRoom | ChatRoom | StatsRoom | LoginRoom | ExecutiveRoom;

/** The HTTP path the dashboard's Socket.IO client connects on. */
export const SOCKET_PATH = '/ws';
