import type { CustomerType } from '@care-chat/contract';
import { connected, dashboardClient, type TestClient } from '@care-chat/testkit';
import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import { type CheckContext, verify } from './checks.js';
import type { Seeded } from './seed.js';
import { type HttpCall, type IdentityRole, readsOf, traffic, type Variant } from './traffic.js';

type Identity = Record<IdentityRole, string>;

/** `value` with every example of the fixtures replaced by the seeded value of its role; nulls stay null. */
export function substitute<T>(value: T, identity: Identity): T {
  if (typeof value === 'string') {
    const role = traffic.identity[value];
    if (role !== undefined) return identity[role] as T;
    return value.replace(/<\w+>/g, (example) => identity[traffic.identity[example] as IdentityRole] ?? example) as T;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, identity)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, identity)])) as T;
  }
  return value;
}

/** What the checks compare with on a page. */
export const contextOn = (seeded: Seeded, type: CustomerType | null, pageType = type ?? undefined): CheckContext => {
  const chat = seeded.chats[type ?? 'Partner'];
  return {
    pageType,
    chatId: chat.chatId,
    customer: chat.customer,
    executiveId: seeded.executive.id,
    agentNumber: seeded.executive.agentNumber,
  };
};

/**
 * A socket opened with the dashboard's own `connection.options` (path, token in the query, transports,
 * reconnection), nothing added but `forceNew`, which the browser's single socket does not need.
 */
export function connectAsDashboard(url: string, token: string): Promise<TestClient> {
  const options = substitute(traffic.connection.options, { accessToken: token } as Identity);
  return connected(dashboardClient(url, token, { ...options, forceNew: true }));
}

/** Emits `variant` as the dashboard does: the payload as it is, no acknowledgement callback. */
export function emitVariant(client: TestClient, variant: Variant, identity: Identity): void {
  (client as unknown as Socket).emit(variant.event, substitute(variant.payload, identity));
}

/** The event the dashboard waits for after `variant`, or (when it reads none) SPEC's `<event>_response`. */
export const answerName = (variant: Variant) => variant.answer_event ?? `${variant.event}_response`;

/** Fails with every field of `payload` that `name`'s reads do not accept, one line each. */
export function expectReads(
  kind: 'answers' | 'broadcasts',
  name: string,
  payload: unknown,
  context: CheckContext,
  extra: string[] = [],
): void {
  const fields = kind === 'answers' && traffic.answers[name] === undefined ? [] : readsOf(kind, name).fields;
  expect([...verify(payload, fields, context), ...extra], `${name}, as the dashboard reads it`).toEqual([]);
}

export interface HttpAnswer {
  status: number;
  contentType: string | null;
  body: Buffer;
  json: unknown;
}

/** The file the dashboard picks: what the gateway checks of a JPEG is its first bytes. */
const RECEIPT_JPEG = new Uint8Array([
  0xff,
  0xd8,
  0xff,
  0xe0,
  0x00,
  0x10,
  ...Buffer.from('JFIF'),
  ...new Array(64).fill(0),
]);

/** `call` sent as the dashboard sends it: its headers (JSON Content-Type on GETs too) and body, ids swapped in. */
export async function sendCall(
  baseUrl: string,
  call: HttpCall,
  identity: Identity,
  pathIds: { chat_id: string; customer: string; media_id: string },
): Promise<HttpAnswer> {
  const path = call.path.replace(/\{(\w+)\}/g, (_, key: keyof typeof pathIds) => pathIds[key]);
  const query = call.query === null ? '' : `?${new URLSearchParams(substitute(call.query, identity))}`;
  const headers = substitute(call.headers, identity);
  let body: string | FormData | undefined;
  if (call.body?.type === 'json') body = JSON.stringify(substitute(call.body.value, identity));
  if (call.body?.type === 'multipart') {
    const form = new FormData();
    for (const [key, value] of Object.entries(substitute(call.body.fields, identity))) {
      if (key === 'file') form.append(key, new Blob([RECEIPT_JPEG], { type: 'image/jpeg' }), 'receipt.jpg');
      else form.append(key, value);
    }
    body = form;
  }
  const response = await fetch(`${baseUrl}${path}${query}`, { method: call.method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get('content-type');
  let json: unknown;
  if (contentType?.includes('json')) json = JSON.parse(bytes.toString('utf8') || 'null');
  return { status: response.status, contentType, body: bytes, json };
}

/** Why the answer fails the dashboard: not a 2xx (any other status is an error to it), or a failed read. */
export function httpFailures(call: HttpCall, answer: HttpAnswer, context: CheckContext): string[] {
  const statusLine =
    answer.status >= 200 && answer.status < 300
      ? []
      : [`HTTP ${answer.status}: expected a 2xx (body ${answer.body.toString('utf8').slice(0, 120)})`];
  const json = typeof answer.json === 'object' && answer.json !== null ? answer.json : {};
  const target = { ...json, '<body>': answer.body };
  return [...statusLine, ...verify(target, call.response_reads, context)];
}

export function expectHttpReads(call: HttpCall, answer: HttpAnswer, context: CheckContext): void {
  expect(httpFailures(call, answer, context), `${call.method} ${call.path}`).toEqual([]);
}
