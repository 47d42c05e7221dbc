/**
 * Writes traffic.json, the replay suite's data, from the dashboard fixtures
 * (packages/testkit/fixtures/dashboard). Run by hand after the fixtures change, then review the diff:
 *
 *   node test/tier/dashboard/extract.ts
 *
 * Payloads and field paths are copied as they are. What each read field must be is decided here, in the
 * tables below, by reading its `how` and `if_missing`: a field is required when the dashboard's fallback
 * would show something wrong, or when SPEC.md's ChatSummary / Message lists it; optional when the fallback
 * is harmless. The script stops when the fixtures name a path, a sequence step or a page these tables do
 * not cover, so a new read cannot slip in unchecked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CustomerType } from '@care-chat/contract';
import type { Check, FieldRead } from './checks.js';
import type { HttpBody, HttpCall, IdentityRole, Sequence, SequenceStep, Traffic, Variant } from './traffic.js';

const fixtures = new URL('../../../packages/testkit/fixtures/dashboard/', import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: the fixtures are untyped JSON, read once here.
const read = (name: string): any => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
const clientEvents = read('client-events.json');
const reads = read('reads.json');
const http = read('http.json');

const TYPES: CustomerType[] = ['Partner', 'Customer', 'Vendor', 'SRDP'];
const SENDERS = ['Customer', 'Executive'];
const SPEC_ROW = 'SPEC: ChatSummary';

function fail(message: string): never {
  throw new Error(`extract: ${message}`);
}

/** The chat-row fields (chats[], chat, room_update*): one normalisation reads them all. */
const ROW: Record<string, Check> = {
  chat_id: { kind: 'non-empty-string' },
  _id: { kind: 'non-empty-string', optional: true },
  customer: { kind: 'digits' },
  customer_name: { kind: 'string' },
  customer_type: { kind: 'page-type' },
  last_message: { kind: 'non-empty-string' },
  last_message_time: { kind: 'iso-utc-ms' },
  last_incoming_message_time: { kind: 'iso-utc-ms' },
  last_incoming_message: { kind: 'iso-utc-ms' },
  last_interaction_by: { kind: 'one-of', values: SENDERS },
  last_msg_by: { kind: 'one-of', values: SENDERS },
  unseen_count: { kind: 'count' },
  tags: { kind: 'string-array' },
  rating: { kind: 'number', nullable: true },
  assigned_executive_name: { kind: 'non-empty-string', nullable: true },
  assigned_executive_id: { kind: 'non-empty-string', nullable: true },
  status: { kind: 'one-of', values: ['active', 'pending', 'resolved'] },
  is_resolved: { kind: 'boolean' },
  'customer_details.documents_status': { kind: 'string', optional: true, nullable: true },
  'customer_details.dco_id': { kind: 'scalar', optional: true, nullable: true },
  'customer_details.driver_name': { kind: 'string', optional: true, nullable: true },
  'customer_details.home_city': { kind: 'string', optional: true, nullable: true },
  'customer_details.dco_status': { kind: 'string', optional: true, nullable: true },
  'customer_details.payout_limit': { kind: 'scalar', optional: true, nullable: true },
  'customer_details.driver_id': { kind: 'scalar', optional: true, nullable: true },
  'context[].field': { kind: 'string' },
  'context[].value': { kind: 'scalar', nullable: true },
  chat_number: { kind: 'non-empty-string', optional: true },
};
/** Not read itself, but its fields are: SPEC says object or null. */
const ROW_EXTRA: Omit<FieldRead, 'path'> & { key: string } = {
  key: 'customer_details',
  how: '(the container of the customer_details.* fields read)',
  check: { kind: 'object', nullable: true },
  basis: SPEC_ROW,
};

const MESSAGE: Record<string, Check> = {
  chat_id: { kind: 'asked-chat-id' },
  message: { kind: 'non-empty-string' },
  datetime: { kind: 'iso-utc-ms' },
  type: { kind: 'one-of', values: ['Customer', 'Agent', 'Executive'], fallback: 'sender_type' },
  sender_type: { kind: 'one-of', values: SENDERS },
  media_type: {
    kind: 'one-of',
    values: ['image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts'],
    nullable: true,
  },
  media: { kind: 'object', nullable: true },
  'media.id': { kind: 'non-empty-string' },
  'media.mime_type': { kind: 'non-empty-string' },
  'media.filename': { kind: 'string', optional: true },
  media_url: { kind: 'absolute-url', nullable: true },
  mediaUrl: { kind: 'absolute-url', nullable: true },
};

const row = (prefix: string): Record<string, Check> =>
  Object.fromEntries(Object.entries(ROW).map(([path, check]) => [`${prefix}${path}`, check]));
const messageRows = (prefix: string, keys: string[]): Record<string, Check> =>
  Object.fromEntries(keys.map((key) => [`${prefix}${key}`, MESSAGE[key] as Check]));
const MESSAGE_ROW_KEYS = Object.keys(MESSAGE).filter((key) => key !== 'chat_id');

const ANSWERS: Record<string, Record<string, Check>> = {
  join_room_response: {},
  fetch_all_chats_response: {
    status: { kind: 'one' },
    message: { kind: 'failure-message' },
    chats: { kind: 'array' },
    'chats[0].customer_type': { kind: 'page-type' },
    ...row('chats[].'),
    'pagination.total_pages': { kind: 'count' },
    'pagination.total_active': { kind: 'count' },
    'pagination.total_pending': { kind: 'count' },
  },
  search_chat_response: {
    status: { kind: 'one' },
    message: { kind: 'failure-message' },
    chats: { kind: 'array', optional: true },
    chat: { kind: 'object', unless_array: 'chats' },
    ...row('chats[].'),
    ...row('chat.'),
    'pagination.total_pages': { kind: 'count', optional: true },
  },
  fetch_chats_by_user_response: {
    messages: { kind: 'array' },
    chats: { kind: 'array', unless_array: 'messages' },
    'messages[0].chat_id': { kind: 'asked-chat-id' },
    status: { kind: 'one' },
    message: { kind: 'failure-message' },
    'pagination.total_pages': { kind: 'count' },
    ...messageRows('messages[].', MESSAGE_ROW_KEYS),
  },
  config_response: {
    status: { kind: 'one' },
    'config.whatsapp_window_open': { kind: 'array' },
    isChatInitiated: { kind: 'one-of', values: [0, 1], unless_array: 'config.whatsapp_window_open' },
    isWhatsappChatOpen: { kind: 'one-of', values: [0, 1], unless_array: 'config.whatsapp_window_open' },
  },
  update_chat_status_response: { status: { kind: 'one' } },
};

const BROADCASTS: Record<string, Record<string, Check>> = {
  room_update: row(''),
  new_message: {
    // The thread reads media.* but never media itself.
    ...messageRows(
      '',
      Object.keys(MESSAGE).filter((key) => key !== 'media'),
    ),
    // The thread appends a customer's message only when its sender == the open chat's customer.
    sender: { kind: 'chat-customer' },
  },
  dashboard_stats: {
    active: { kind: 'count' },
    resolved: { kind: 'count' },
    pending: { kind: 'count', fallback: 'awaiting_customer_response' },
    awaiting_customer_response: { kind: 'count', optional: true },
  },
  executive_status: {
    status: { kind: 'one-of-uppercased', values: ['ONLINE', 'OFFLINE'] },
    executive_id: { kind: 'executive-id' },
    name: { kind: 'non-empty-string' },
  },
  chat_assigned: {
    chat_id: { kind: 'asked-chat-id' },
    executive_id: { kind: 'non-empty-string', fallback: 'assigned_executive_id' },
    assigned_executive_id: { kind: 'non-empty-string', optional: true },
    executive_name: { kind: 'non-empty-string' },
  },
  chat_reassigned: {
    chat_id: { kind: 'asked-chat-id' },
    executive_id: { kind: 'non-empty-string', fallback: 'to_executive_id' },
    to_executive_id: { kind: 'non-empty-string', optional: true },
    executive_name: { kind: 'non-empty-string' },
  },
  sla_alert: {
    customer_type: { kind: 'page-type' },
    assigned_executive_id: { kind: 'executive-id' },
    customer_name: { kind: 'non-empty-string', fallback: 'customer' },
    customer: { kind: 'digits', optional: true },
    chat_id: { kind: 'asked-chat-id' },
    elapsed_minutes: { kind: 'number' },
  },
  tag_updated: {
    chat_id: { kind: 'asked-chat-id' },
    tags: { kind: 'string-array' },
    tag: { kind: 'non-empty-string' },
    action: { kind: 'one-of', values: ['add', 'remove'] },
  },
  note_added: {
    chat_id: { kind: 'asked-chat-id' },
    author_name: { kind: 'non-empty-string' },
    created_at: { kind: 'iso-utc-ms' },
    content: { kind: 'non-empty-string' },
  },
};

/** Broadcasts the dashboard does not listen to, checked as SPEC.md's server events table says. */
const SPEC_BROADCASTS: Record<string, Record<string, Check>> = {
  user_left: { connection_id: { kind: 'non-empty-string' } },
  user_typing: { chat_id: { kind: 'asked-chat-id' }, sender: { kind: 'non-empty-string' } },
  message_status: {
    chat_id: { kind: 'asked-chat-id' },
    message_id: { kind: 'non-empty-string' },
    status: { kind: 'one-of', values: ['queued', 'sent', 'delivered', 'read', 'failed'] },
    datetime: { kind: 'iso-utc-ms' },
  },
};

const byTypeCounts = Object.fromEntries(
  TYPES.flatMap((type) => ['active', 'resolved', 'pending'].map((n) => [`by_type.${type}.${n}`, { kind: 'count' }])),
);

const HTTP_READS: Record<string, Record<string, Check>> = {
  'auth.login': {
    accessToken: { kind: 'non-empty-string' },
    refreshToken: { kind: 'non-empty-string' },
    agentNumber: { kind: 'agent-number' },
    adminid: { kind: 'executive-id' },
    name: { kind: 'non-empty-string' },
    message: { kind: 'string', optional: true },
  },
  'auth.refresh': { accessToken: { kind: 'non-empty-string' }, refreshToken: { kind: 'non-empty-string' } },
  'auth.logout': {},
  'dashboard.stats': {
    status: { kind: 'loose-one' },
    active: { kind: 'count' },
    resolved: { kind: 'count' },
    pending: { kind: 'count' },
    total: { kind: 'count' },
    by_type: { kind: 'object' },
    ...byTypeCounts,
  },
  'whatsapp.downloadmedia': { '<body>': { kind: 'bytes' } },
  'media.upload': { status: { kind: 'one' }, url: { kind: 'absolute-url' } },
  'media.send': { status: { kind: 'one' }, message: { kind: 'failure-message' } },
  'chats.notes': {
    status: { kind: 'one' },
    notes: { kind: 'array' },
    'notes[].author_name': { kind: 'non-empty-string' },
    'notes[].created_at': { kind: 'iso-utc-ms' },
    'notes[].content': { kind: 'non-empty-string' },
  },
  templates: {
    status: { kind: 'one' },
    templates: { kind: 'array' },
    'templates[].id': { kind: 'non-empty-string' },
    'templates[].name': { kind: 'non-empty-string' },
    'templates[].language': { kind: 'non-empty-string' },
    'templates[].content': { kind: 'non-empty-string' },
    'templates[].category': { kind: 'string' },
  },
  'chats.context_history': {
    status: { kind: 'one' },
    items: { kind: 'array' },
    'items[].status': { kind: 'non-empty-string' },
    'items[].createdAt': { kind: 'string' },
    'items[].chatCount': { kind: 'count' },
    'items[].context': { kind: 'object' },
    'items[].id': { kind: 'scalar' },
  },
  'chats.rides': {
    status: { kind: 'one' },
    rides: { kind: 'array' },
    'rides[].status': { kind: 'string' },
    'rides[].id': { kind: 'scalar' },
    'rides[].type': { kind: 'string' },
    'rides[].route': { kind: 'string' },
    'rides[].date': { kind: 'string' },
    searchHistory: { kind: 'array' },
    'searchHistory[].from': { kind: 'string' },
    'searchHistory[].to': { kind: 'string' },
    'searchHistory[].date': { kind: 'string' },
  },
  'chats.rate': {},
  'chats.send_whatsapp_template': { status: { kind: 'one' }, message: { kind: 'string' } },
  'chats.chat_gpt': { reply: { kind: 'string' } },
};

/** Which customer type a fixture page is, when it is a chat page. */
const pageType = (page: string): CustomerType | null =>
  (TYPES as string[]).includes(page) ? (page as CustomerType) : null;

// biome-ignore lint/suspicious/noExplicitAny: fixture rows.
function fieldsOf(name: string, table: Record<string, Check>, fixtureFields: any[]): FieldRead[] {
  const paths = new Set(fixtureFields.map((f) => f.path as string));
  const fields: FieldRead[] = fixtureFields.map((f) => ({
    path: f.path,
    how: f.how,
    ...(f.if_missing === undefined ? {} : { if_missing: f.if_missing }),
    check: table[f.path] ?? fail(`${name}: no check for ${f.path} ("${f.how}")`),
  }));
  for (const path of Object.keys(table)) {
    if (!paths.has(path)) fail(`${name}: the check for ${path} names a path the fixtures do not read`);
  }
  // Each container of customer_details.* reads gets SPEC's "object or null" check.
  for (const path of paths) {
    const container = path.replace(/customer_details\.[^.]+$/, ROW_EXTRA.key);
    if (container !== path && !fields.some((f) => f.path === container)) {
      fields.push({ path: container, how: ROW_EXTRA.how, check: ROW_EXTRA.check, basis: ROW_EXTRA.basis });
    }
  }
  return fields;
}

const specFields = (table: Record<string, Check>, basis: string): FieldRead[] =>
  Object.entries(table).map(([path, check]) => ({ path, how: '(not read by the dashboard)', check, basis }));

function answers(): Traffic['answers'] {
  const names = Object.keys(reads.answers);
  for (const name of Object.keys(ANSWERS)) if (!names.includes(name)) fail(`no answer ${name} in reads.json`);
  return Object.fromEntries(
    names.map((name) => [
      name,
      { fields: fieldsOf(name, ANSWERS[name] ?? fail(`no checks for ${name}`), reads.answers[name].fields ?? []) },
    ]),
  );
}

function broadcasts(): Traffic['broadcasts'] {
  const out: Traffic['broadcasts'] = {};
  for (const [name, entry] of Object.entries<{ same_as?: string; fields: unknown[] }>(reads.broadcasts)) {
    const table = BROADCASTS[entry.same_as ?? name] ?? fail(`no checks for broadcast ${name}`);
    // biome-ignore lint/suspicious/noExplicitAny: fixture rows.
    out[name] = { fields: fieldsOf(name, table, entry.fields as any[]) };
  }
  for (const [name, table] of Object.entries(SPEC_BROADCASTS)) {
    out[name] = { fields: specFields(table, `SPEC: server events, ${name}`) };
  }
  return out;
}

function variants(): Variant[] {
  return Object.entries<{
    answer_event: string | null;
    reachable: boolean;
    // biome-ignore lint/suspicious/noExplicitAny: fixture rows.
    variants: any[];
  }>(clientEvents.events).flatMap(([event, entry]) =>
    entry.variants.map((v) => ({
      id: v.id,
      event,
      page: v.page,
      customer_type: pageType(v.page),
      payload: v.payload,
      reachable: v.reachable ?? entry.reachable,
      answer_event: entry.answer_event,
    })),
  );
}

/** The identity the fixtures' examples stand for (client-events.json `_meta.example_identity`, http.json). */
const IDENTITY: Record<string, IdentityRole> = {
  '919876543210': 'agentNumber',
  '42': 'executive_id',
  '43': 'other_executive_id',
  '5': 'chat_id',
  '919812345678': 'customer',
  '9812345678': 'customer_typed',
  'asha.verma': 'username',
  '<password>': 'password',
  '<accessToken>': 'accessToken',
  '<refreshToken>': 'refreshToken',
};

const SEND_TYPES: Record<CustomerType, string> = {
  Partner: 'chat',
  Customer: 'customer_chat_new',
  Vendor: 'vendor_chat',
  SRDP: 'srdp_chat',
};

/** The pages each route is made from, where a page changes its query (or its use). */
const HTTP_PAGES: Record<string, CustomerType[]> = {
  'whatsapp.downloadmedia': TYPES,
  templates: TYPES,
  'chats.notes': ['Customer', 'Vendor', 'SRDP'],
  'media.upload': ['Partner', 'Customer', 'Vendor'],
  'media.send': ['Partner', 'Customer', 'Vendor'],
  'chats.context_history': ['Customer'],
  'chats.rides': ['Partner'],
};

/** Angular's Content-Type note becomes the header it sets; the browser's multipart header is its own. */
// biome-ignore lint/suspicious/noExplicitAny: fixture rows.
function headersOf(route: any): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries<string>(route.headers)) {
    if (name === 'Content-Type' && route.body?.type === 'multipart') continue;
    headers[name] = name === 'Content-Type' ? (value.split(' ')[0] ?? value) : value;
  }
  return headers;
}

// biome-ignore lint/suspicious/noExplicitAny: fixture rows.
function bodyOf(route: any): HttpBody {
  if (route.body === null) return null;
  if (route.body.type === 'json') return { type: 'json', value: route.body.example };
  return { type: 'multipart', fields: route.body.fields };
}

// biome-ignore lint/suspicious/noExplicitAny: fixture rows.
function queryOf(route: any, page: CustomerType | null): Record<string, string> | null {
  if (route.query === null) return null;
  // A query that does not depend on the page is the example's, ids swapped in later like the payloads'.
  if (page === null) return Object.fromEntries(new URL(route.url_example).searchParams);
  const [key, text] = Object.entries<string>(route.query)[0] ?? fail(`${route.id}: empty query`);
  const value = key === 'send_type' ? SEND_TYPES[page] : key === 'stakeholder' ? page : fail(`${route.id}: ${key}`);
  if (!text.includes(value)) fail(`${route.id}: ${key} "${text}" does not list ${value}`);
  return { [key]: value };
}

function httpCalls(): HttpCall[] {
  // biome-ignore lint/suspicious/noExplicitAny: fixture rows.
  return http.routes.flatMap((route: any) => {
    const table = HTTP_READS[route.id] ?? fail(`no checks for HTTP ${route.id}`);
    const reads = route.response_reads.flatMap((f: FieldRead) =>
      f.path.includes('<type>') ? TYPES.map((type) => ({ ...f, path: f.path.replace('<type>', type) })) : [f],
    );
    const response_reads = fieldsOf(route.id, table, reads);
    const pages: (CustomerType | null)[] = HTTP_PAGES[route.id] ?? [null];
    return pages.map((page) => ({
      id: page === null ? route.id : `${route.id}.${page.toLowerCase()}`,
      route: route.id,
      page,
      method: route.method,
      path: route.path,
      query: queryOf(route, page),
      headers: headersOf(route),
      body: bodyOf(route),
      reachable: route.reachable,
      response_reads,
    }));
  });
}

/** Each step of client-events.json `sequences`, as the suite replays it. */
const STEPS: Record<
  string,
  SequenceStep extends infer S ? (S extends { step: string } ? Omit<S, 'step'> : never) : never
> = {
  'POST /api/auth/login': { http: 'auth.login' },
  '(POST <node host>/login, other host)': { skip: 'another host' },
  'socket handshake with ?token=': { handshake: true },
  'navigate #/base/dashboard': { skip: 'client-side navigation' },
  'GET /api/dashboard/stats (header)': { http: 'dashboard.stats' },
  'GET /api/dashboard/stats (dashboard page)': { http: 'dashboard.stats' },
  "set_executive_status {status:'ONLINE'} only if saved ONLINE (buffered, first event)": {
    emit: 'set_executive_status.layout.reload_online',
  },
  "then the opened page's own sequence": { skip: 'open_chat_page is replayed per page' },
  'join_room {room}': { emit: 'join_room.{page}' },
  'fetch_all_chats page 1 (Partner: search_chat instead when a number is left in the search state)': {
    emit: 'fetch_all_chats.{page}.initial',
  },
  'a second fetch_all_chats page 1 if the socket had already received any new_message (replay)': {
    emit: 'fetch_all_chats.{page}.initial',
  },
  '(Partner only: 500 ms delay)': { skip: 'a client-side delay' },
  config: { emit: 'config.{page}' },
  'fetch_chats_by_user page 1': { emit: 'fetch_chats_by_user.{page}.open' },
  join_chat: { emit: 'join_chat.{page}' },
  '(GET /api/whatsapp/downloadmedia/{id} per media message without media_url/mediaUrl, after the answer)': {
    media_downloads: 'whatsapp.downloadmedia.{page}',
  },
  update_chat_status: { emit: 'update_chat_status.{page}.resolved' },
  'on answer status 1 (or at once from a replayed earlier answer): fetch_all_chats of the current page': {
    emit: 'fetch_all_chats.{page}.after_status_update',
  },
  "set_executive_status {status:'OFFLINE'}": { emit: 'set_executive_status.header.logout' },
  'socket disconnect': { skip: 'the socket closes; nothing more is sent on it' },
  'POST /api/auth/logout': { http: 'auth.logout' },
  '(POST <node host>/logout, other host)': { skip: 'another host' },
};

/** Pages a per-page flow can be replayed on: update_chat_status is never sent from the Customer page. */
const PER_PAGE = new Set(['open_chat_page', 'open_chat', 'resolve_or_pending']);

function sequences(all: Variant[], calls: HttpCall[]): Traffic['sequences'] {
  const out: Record<string, Sequence> = {};
  for (const [name, texts] of Object.entries<string[]>(clientEvents.sequences)) {
    const steps = texts.map((text) => ({ step: text, ...(STEPS[text] ?? fail(`sequence ${name}: step "${text}"`)) }));
    const needs = new Set<string>();
    for (const step of steps) {
      const id =
        'emit' in step
          ? step.emit
          : 'http' in step
            ? step.http
            : 'media_downloads' in step
              ? step.media_downloads
              : null;
      if (id === null) continue;
      const concrete = id.replace('{page}', 'vendor');
      const variant = all.find((v) => v.id === concrete);
      const call = calls.find((c) => c.id === concrete);
      if (variant === undefined && call === undefined)
        fail(`sequence ${name}: ${concrete} is neither a variant nor a call`);
      needs.add(variant?.event ?? (call as HttpCall).route);
    }
    out[name] = { per_page: PER_PAGE.has(name), needs: [...needs], steps: steps as SequenceStep[] };
  }
  return out;
}

function pages(): Traffic['pages'] {
  const fixturePages = clientEvents._meta.pages;
  return Object.fromEntries(
    TYPES.map((type) => [
      type,
      { room: fixturePages[type]?.room ?? fail(`no page ${type}`), send_type: SEND_TYPES[type] },
    ]),
  ) as Traffic['pages'];
}

const all = variants();
const calls = httpCalls();
const traffic: Traffic = {
  source: {
    repository: clientEvents._meta.client,
    commit: clientEvents._meta.commit,
    extracted_by: 'test/tier/dashboard/extract.ts',
  },
  identity: IDENTITY,
  pages: pages(),
  connection: { options: clientEvents.connection.options },
  variants: all,
  answers: answers(),
  broadcasts: broadcasts(),
  http: calls,
  sequences: sequences(all, calls),
};
writeFileSync(new URL('./traffic.json', import.meta.url), `${JSON.stringify(traffic, null, 2)}\n`);
console.log(
  `traffic.json: ${all.length} variants, ${Object.keys(traffic.answers).length} answers, ` +
    `${Object.keys(traffic.broadcasts).length} broadcasts, ${calls.length} HTTP calls, ` +
    `${Object.keys(traffic.sequences).length} sequences`,
);
