/**
 * The wire vocabulary of the conformance suite, typed at both ends as an application's would be. Every
 * payload ends in a number, so a string the server appends after it can only be the stream offset.
 */
export interface ServerToClient {
  hello: (text: string, n: number) => void;
  /** Several JSON arguments of every kind. */
  document: (doc: Document, tags: string[], done: boolean, n: number) => void;
  seq: (source: string, n: number) => void;
  /** Sent after what a test checks, to know that everything before it has arrived. */
  marker: (id: number) => void;
  /** Broadcast with an acknowledgement: the client answers twice the number. */
  ask: (n: number, answer: (double: number) => void) => void;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export interface Document {
  [key: string]: Json;
}

export interface ClientToServer {
  /** The socket joins `room` on its server, which changes its session while connected. */
  join: (room: string, done: () => void) => void;
}

export interface InterServer {
  ping: (n: number) => void;
  pingWithAck: (n: number, answer: (reply: string) => void) => void;
}

export interface SocketData {
  name: string;
}

/** What a client sends in `auth` when it connects: its name and the rooms its server puts it in. */
export interface Handshake {
  name: string;
  rooms: string[];
}
