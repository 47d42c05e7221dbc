import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '@care-chat/contract';
import type { Server, Socket } from 'socket.io';

export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
