import { CUSTOMER_TYPES, type CustomerType } from '@care-chat/contract';
import { recordEvents, type TestClient, until } from '@care-chat/testkit';
import { expect } from 'vitest';
import { verify } from './checks.js';
import { answerName, contextOn, emitVariant, httpFailures, sendCall } from './replay.js';
import { identityOn, type Seeded } from './seed.js';
import { type HttpCall, readsOf, type Sequence, traffic, type Variant } from './traffic.js';

function variantById(id: string): Variant {
  const variant = traffic.variants.find((v) => v.id === id);
  if (variant === undefined) throw new Error(`traffic.json has no variant ${id}`);
  return variant;
}
function callById(id: string): HttpCall {
  const call = traffic.http.find((c) => c.id === id);
  if (call === undefined) throw new Error(`traffic.json has no HTTP call ${id}`);
  return call;
}

interface Media {
  id?: string;
}
interface FetchedMessage {
  media?: Media | null;
  media_type?: string | null;
  media_url?: string | null;
  mediaUrl?: string | null;
}

/**
 * The pages a per-page flow was recorded on: those with a variant for each of its steps. The dashboard
 * never sends update_chat_status from the Customer page, and its refetch after one is recorded on Vendor.
 */
export const pagesOf = (sequence: Sequence): CustomerType[] =>
  CUSTOMER_TYPES.filter((type) =>
    sequence.steps.every(
      (step) =>
        !('emit' in step) || traffic.variants.some((v) => v.id === step.emit.replace('{page}', type.toLowerCase())),
    ),
  );

/** How long an answer may take: a gateway answers in milliseconds, so this only bounds a missing one. */
export const ANSWER_TIMEOUT_MS = 3000;

/**
 * Replays one flow on `client` as the dashboard runs it: emits back to back without waiting, then waits
 * for every answer in order (no correlation ids: the n-th answer of an event is the n-th emit's) and
 * checks each. A media download follows the fetch it depends on, as in the dashboard. Fails once, with
 * every missing answer and every failed read.
 */
export async function replayFlow(
  sequence: Sequence,
  type: CustomerType,
  client: TestClient,
  seeded: Seeded,
  baseUrl: string,
): Promise<void> {
  const page = type.toLowerCase();
  const identity = identityOn(seeded, type);
  const context = contextOn(seeded, type);
  const emitted = sequence.steps.flatMap((step) =>
    'emit' in step ? [variantById(step.emit.replace('{page}', page))] : [],
  );
  const seen = recordEvents(client, [...new Set(emitted.map(answerName))]);
  const failures: string[] = [];
  for (const step of sequence.steps) {
    if ('emit' in step) emitVariant(client, variantById(step.emit.replace('{page}', page)), identity);
    if ('media_downloads' in step) {
      const [fetched] = await answersOf(
        seen,
        emitted.filter((v) => v.event === 'fetch_chats_by_user'),
      );
      const messages = (fetched as { messages?: FetchedMessage[] } | undefined)?.messages ?? [];
      const call = callById(step.media_downloads.replace('{page}', page));
      failures.push(...(await downloads(call, type, messages, seeded, baseUrl)));
    }
  }
  const answers = await answersOf(seen, emitted);
  for (const [index, variant] of emitted.entries()) {
    const answer = answers[index];
    if (answer === undefined) failures.push(`${variant.id}: no ${answerName(variant)} within ${ANSWER_TIMEOUT_MS} ms`);
    else if (variant.answer_event !== null)
      failures.push(
        ...verify(answer, readsOf('answers', variant.answer_event).fields, context).map(
          (f) => `${variant.answer_event}: ${f}`,
        ),
      );
  }
  expect(failures, `the ${type} page's flow`).toEqual([]);
}

/** The answers of `emitted`, in emit order, once all have come or the time is up (undefined for the missing). */
async function answersOf(seen: Map<string, unknown[]>, emitted: Variant[]): Promise<unknown[]> {
  const wanted = new Map<string, number>();
  for (const v of emitted) wanted.set(answerName(v), (wanted.get(answerName(v)) ?? 0) + 1);
  const complete = async () => [...wanted].every(([name, n]) => (seen.get(name)?.length ?? 0) >= n);
  await until(complete, (done) => done, 'every answer of the flow', ANSWER_TIMEOUT_MS).catch(() => undefined);
  const taken = new Map<string, number>();
  return emitted.map((v) => {
    const name = answerName(v);
    const index = taken.get(name) ?? 0;
    taken.set(name, index + 1);
    return seen.get(name)?.[index];
  });
}

/**
 * The dashboard's media step: a download for each message with media.id and no URL (on the Customer page
 * media_type must be set, elsewhere media), and a plain GET, with no headers, of each URL it was given.
 */
async function downloads(
  call: HttpCall,
  type: CustomerType,
  messages: FetchedMessage[],
  seeded: Seeded,
  base: string,
): Promise<string[]> {
  const chat = seeded.chats[type];
  const wants = (m: FetchedMessage) => (type === 'Customer' ? Boolean(m.media_type) : Boolean(m.media));
  const withMedia = messages.filter((m) => m.media?.id !== undefined || m.media_url || m.mediaUrl);
  if (withMedia.length === 0) return [`the ${type} chat's image message: no media.id nor URL to show it with`];
  const failures: string[] = [];
  for (const message of withMedia) {
    const url = message.media_url ?? message.mediaUrl;
    if (url) {
      const answer = await fetch(url);
      if (answer.status !== 200) failures.push(`GET ${url} without headers, as <img src>: HTTP ${answer.status}`);
    } else if (wants(message) && message.media?.id !== undefined) {
      const ids = { chat_id: chat.chatId, customer: chat.customer, media_id: message.media.id };
      const answer = await sendCall(base, call, identityOn(seeded, type), ids);
      failures.push(...httpFailures(call, answer, contextOn(seeded, type)).map((f) => `${call.id}: ${f}`));
    }
  }
  return failures;
}
