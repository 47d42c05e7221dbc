import { readFileSync } from 'node:fs';
import type { CustomerType } from '@care-chat/contract';
import type { FieldRead } from './checks.js';

/** One payload the dashboard emits, as it emits it (ids are the fixtures' examples, see `identity`). */
export interface Variant {
  id: string;
  event: string;
  /** The fixture's page: a customer type, or 'header (every page)', 'layout (page reload)', 'none'. */
  page: string;
  /** The page's customer type, or null for a page that has none. */
  customer_type: CustomerType | null;
  /** Exactly the emitted object: nulls kept, absent keys absent. */
  payload: Record<string, unknown>;
  reachable: boolean;
  /** The event the dashboard listens to for the answer, or null when it reads none. */
  answer_event: string | null;
}

export type HttpBody =
  | { type: 'json'; value: Record<string, unknown> }
  | { type: 'multipart'; fields: Record<string, string> }
  | null;

/** One HTTP call, per page where the page changes it. */
export interface HttpCall {
  /** The route's id in http.json, and `.<page>` when it is made per page. */
  id: string;
  route: string;
  page: CustomerType | null;
  method: 'GET' | 'POST';
  /** With `{chat_id}`, `{customer}`, `{media_id}` placeholders. */
  path: string;
  query: Record<string, string> | null;
  headers: Record<string, string>;
  body: HttpBody;
  reachable: boolean;
  response_reads: FieldRead[];
}

/** One step of a flow; `{page}` in an id stands for the page's lowercased type. */
export type SequenceStep =
  | { step: string; emit: string }
  | { step: string; http: string }
  | { step: string; handshake: true }
  /** A download per media message of the last fetch_chats_by_user answer without a URL. */
  | { step: string; media_downloads: string }
  | { step: string; skip: string };

export interface Sequence {
  /** Replayed once per chat page. */
  per_page: boolean;
  /** Client events and HTTP calls it needs: it is replayed once all of them are. */
  needs: string[];
  steps: SequenceStep[];
}

export interface Traffic {
  source: { repository: string; commit: string; extracted_by: string };
  /** Example value in the fixtures → the role of the seeded value that replaces it. */
  identity: Record<string, IdentityRole>;
  pages: Record<CustomerType, { room: string; send_type: string }>;
  connection: { options: Record<string, unknown> };
  variants: Variant[];
  answers: Record<string, { fields: FieldRead[] }>;
  broadcasts: Record<string, { fields: FieldRead[] }>;
  http: HttpCall[];
  sequences: Record<string, Sequence>;
}

export type IdentityRole =
  | 'agentNumber'
  | 'executive_id'
  | 'other_executive_id'
  | 'chat_id'
  | 'customer'
  | 'customer_typed'
  | 'username'
  | 'password'
  | 'accessToken'
  | 'refreshToken';

export const traffic: Traffic = JSON.parse(readFileSync(new URL('./traffic.json', import.meta.url), 'utf8'));

/**
 * What this suite replays. Everything else in traffic.json is recorded but registers no test: the issue
 * that builds a feature adds its names here (12: send_message, message_status, update_chat_status,
 * apply_tag, tag_updated, add_note, note_added, media.upload, media.send, chats.notes, templates; 13:
 * set_executive_status, executive_status, reassign_chat, chat_reassigned, chat_assigned, sla_alert), and
 * a broadcast also gets a cause in `broadcast-causes.ts`.
 */
export const REPLAYED = {
  events: new Set([
    'join_room',
    'leave_room',
    'join_chat',
    'join_chat_customer',
    'leave_chat',
    'fetch_all_chats',
    'fetch_chats_by_user',
    'search_chat',
    'send_message',
    'config',
    'get_dashboard_stats',
    'typing',
    'update_chat_status',
    'apply_tag',
    'add_note',
    'set_executive_status',
    'reassign_chat',
  ]),
  broadcasts: new Set([
    'room_update',
    'room_update_customer',
    'room_update_vendor',
    'room_update_srdp',
    'new_message',
    'dashboard_stats',
    'user_left',
    'user_typing',
    'tag_updated',
    'note_added',
    'executive_status',
    'chat_assigned',
    'chat_reassigned',
    'sla_alert',
  ]),
  http: new Set([
    'auth.login',
    'auth.refresh',
    'auth.logout',
    'dashboard.stats',
    'media.send',
    'whatsapp.downloadmedia',
    'chats.context_history',
    'chats.rides',
    'chats.notes',
    'templates',
    'media.upload',
  ]),
};

const replayedName = (name: string) => REPLAYED.events.has(name) || REPLAYED.http.has(name);

export const replayedVariants = (reachable: boolean) =>
  traffic.variants.filter((v) => v.reachable === reachable && REPLAYED.events.has(v.event));

export const replayedCalls = () => traffic.http.filter((call) => call.reachable && REPLAYED.http.has(call.route));

export const replayedSequences = () =>
  Object.entries(traffic.sequences).filter(([, sequence]) => sequence.needs.every(replayedName));

/** The fields read of an answer or broadcast; throws for a name traffic.json does not know. */
export function readsOf(kind: 'answers' | 'broadcasts', name: string): { fields: FieldRead[] } {
  const reads = traffic[kind][name];
  if (reads === undefined) throw new Error(`traffic.json has no ${kind} entry for ${name}`);
  return reads;
}
