import { ClientEvent, LIMITS, type Note, ServerEvent } from '@care-chat/contract';
import { addExecutive } from '@care-chat/store';
import {
  insertChat,
  nextEvent,
  recordEvents,
  settle,
  signToken,
  type TestClient,
  viaEmitter,
} from '@care-chat/testkit';
import { describe, expect, it } from 'vitest';
import { ask, dashboardAt, expectRefused, type Refusals, tierForFile, variantsOf } from './dashboard-variants.js';

const run = tierForFile();
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The author behind the non-sticky balancer; viewers straight on each node, so broadcasts cross nodes. */
const author = (claims: Record<string, unknown> = {}) => dashboardAt(run.balancer.url, claims);
const viewerOn = async (node: 0 | 1, chatId: string) => {
  const viewer = await dashboardAt(run.tier.nodes[node].url);
  expect(await ask(viewer, ClientEvent.JoinChat, { chat_id: chatId, type: 'Agent' })).toEqual({
    status: 1,
    chat_id: chatId,
  });
  return viewer;
};
/** Every broadcast before this has reached `clients`: what they did not get, they will not. */
const settled = (clients: TestClient[]) => settle(viaEmitter(run.tier.emitter), clients);

const tagsOf = async (chatId: string) =>
  (await run.tier.db.query<{ tags: string[] }>('SELECT tags FROM chats WHERE id = $1', [chatId])).rows[0]?.tags;
const noteCount = async (chatId: string) =>
  (await run.tier.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes WHERE chat_id = $1', [chatId])).rows[0]
    ?.n;

describe('apply_tag, every variant the dashboard sends', () => {
  for (const variant of variantsOf(ClientEvent.ApplyTag)) {
    it(`${variant.id}: kept on the chat, answered with its tags, tag_updated to the chat room on both nodes`, async () => {
      const { tag, action } = variant.payload as { tag: string; action: 'add' | 'remove' };
      const chatId = await insertChat(run.tier.db, variant.page, {
        tags: action === 'remove' ? ['Other', tag] : ['Other'],
      });
      const viewers = await Promise.all([viewerOn(0, chatId), viewerOn(1, chatId)]);
      const expected = action === 'add' ? ['Other', tag] : ['Other'];
      const updates = viewers.map((viewer) => nextEvent(viewer, ServerEvent.TagUpdated, 10_000));
      const client = await author();
      expect(await ask(client, ClientEvent.ApplyTag, { ...variant.payload, chat_id: chatId })).toEqual({
        status: 1,
        tags: expected,
      });
      for (const update of await Promise.all(updates))
        expect(update).toEqual({ chat_id: chatId, tag, action, tags: expected });
      expect(await tagsOf(chatId)).toEqual(expected);
      // Listed with its tags, and found by the tag filter.
      const listed = await ask(client, ClientEvent.FetchAllChats, {
        customer_type: variant.page,
        tag: 'Other',
        page_size: 100,
      });
      if (listed.status !== 1) throw new Error(listed.message);
      expect(listed.chats.find((chat) => chat.chat_id === chatId)?.tags).toEqual(expected);

      // The same click again changes nothing and tells nobody.
      const seen = viewers.map((viewer) => recordEvents(viewer, [ServerEvent.TagUpdated]));
      expect(await ask(client, ClientEvent.ApplyTag, { ...variant.payload, chat_id: chatId })).toEqual({
        status: 1,
        tags: expected,
      });
      await settled(viewers);
      for (const events of seen) expect(events.get(ServerEvent.TagUpdated)).toEqual([]);
    });
  }

  it(`refuses tags past ${LIMITS.tagsPerChat}, blank or long tags, unknown actions, other types and unknown chats, writing nothing`, async () => {
    const full = Array.from({ length: LIMITS.tagsPerChat }, (_, i) => `tag ${i}`);
    const chatId = await insertChat(run.tier.db, 'Vendor', { tags: full });
    const client = await author();
    const partnerOnly = await author({ customer_types: ['Partner'] });
    const refusals: Refusals = [
      [client, { chat_id: chatId, tag: 'one more', action: 'add' }, /at most 20 tags/],
      [client, { chat_id: chatId, tag: '   ', action: 'add' }, /tag/],
      [client, { chat_id: chatId, tag: 'x'.repeat(LIMITS.label + 1), action: 'add' }, /tag/],
      [client, { chat_id: chatId, tag: 'tag 1', action: 'toggle' }, /action/],
      [client, { chat_id: chatId, tag: 'tag 1' }, /action/],
      [partnerOnly, { chat_id: chatId, tag: 'tag 1', action: 'remove' }, /Chat not found/],
      [client, { chat_id: '999999999', tag: 'tag 1', action: 'remove' }, /Chat not found/],
    ];
    await expectRefused(ClientEvent.ApplyTag, refusals);
    expect(await tagsOf(chatId)).toEqual(full);
    // A tag already there is no addition.
    expect(await ask(client, ClientEvent.ApplyTag, { chat_id: chatId, tag: 'tag 3', action: 'add' })).toEqual({
      status: 1,
      tags: full,
    });
  });
});

const notesRoute = (chatId: string, token: string | null = signToken()) =>
  fetch(`${run.tier.nodes[1].url}/api/chats/${chatId}/notes`, {
    headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
  });

describe('add_note, every variant the dashboard sends', () => {
  for (const variant of variantsOf(ClientEvent.AddNote)) {
    it(`${variant.id}: note_added once to the author’s own socket (not in the chat) and to viewers on both nodes`, async () => {
      const chatId = await insertChat(run.tier.db, variant.page);
      const viewers = await Promise.all([viewerOn(0, chatId), viewerOn(1, chatId)]);
      const client = await author({ sub: 'outside-7', name: 'Meera Iyer' });
      const everyone = [client, ...viewers];
      const seen = everyone.map((socket) => recordEvents(socket, [ServerEvent.NoteAdded]));
      const arrivals = everyone.map((socket) => nextEvent(socket, ServerEvent.NoteAdded, 10_000));
      const answer = await ask(client, ClientEvent.AddNote, { ...variant.payload, chat_id: chatId });
      if (answer.status !== 1) throw new Error(answer.message);
      const note: Note = {
        id: answer.note.id,
        chat_id: chatId,
        content: variant.payload.content as string,
        author_id: 'outside-7',
        author_name: 'Meera Iyer',
        created_at: answer.note.created_at,
      };
      expect(answer.note).toEqual(note);
      expect(note.created_at).toMatch(ISO_MS);
      for (const arrived of await Promise.all(arrivals)) expect(arrived).toEqual(note);
      await settled(everyone);
      for (const events of seen) expect(events.get(ServerEvent.NoteAdded)).toHaveLength(1);
    });
  }

  it('reaches an author who joined the chat once, not twice', async () => {
    const chatId = await insertChat(run.tier.db, 'Customer');
    const client = await author();
    await ask(client, ClientEvent.JoinChat, { chat_id: chatId, type: 'Agent' });
    const seen = recordEvents(client, [ServerEvent.NoteAdded]);
    const arrival = nextEvent(client, ServerEvent.NoteAdded, 10_000);
    expect(await ask(client, ClientEvent.AddNote, { chat_id: chatId, content: 'Called back' })).toMatchObject({
      status: 1,
    });
    await arrival;
    await settled([client]);
    expect(seen.get(ServerEvent.NoteAdded)).toHaveLength(1);
  });

  it('names the author from the executives table, else the token’s name, else the id', async () => {
    const chatId = await insertChat(run.tier.db, 'SRDP');
    const id = await addExecutive(run.tier.db, {
      username: `ravi${Date.now()}`,
      name: 'Ravi Kumar',
      agentNumber: '919800000002',
      role: 'executive',
      customerTypes: ['SRDP'],
      password: 'a long enough password',
    });
    const names = [];
    for (const claims of [
      { sub: id, name: 'Token Name' },
      { sub: 'outside-8', name: 'Token Name' },
      { sub: 'outside-9' },
    ]) {
      const answer = await ask(await author(claims), ClientEvent.AddNote, { chat_id: chatId, content: 'note' });
      if (answer.status !== 1) throw new Error(answer.message);
      names.push([answer.note.author_id, answer.note.author_name]);
    }
    expect(names).toEqual([
      [id, 'Ravi Kumar'],
      ['outside-8', 'Token Name'],
      ['outside-9', 'outside-9'],
    ]);
  });

  it('GET /api/chats/{chat_id}/notes lists them newest first, for the token’s types only', async () => {
    const chatId = await insertChat(run.tier.db, 'Vendor');
    const client = await author({ sub: 'outside-10', name: 'Asha' });
    const added: Note[] = [];
    for (const content of ['first', 'second', 'third']) {
      const answer = await ask(client, ClientEvent.AddNote, { chat_id: chatId, content });
      if (answer.status !== 1) throw new Error(answer.message);
      added.push(answer.note);
    }
    const answer = await notesRoute(chatId);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 1, notes: added.toReversed() });
    const none = await notesRoute(await insertChat(run.tier.db, 'Vendor'));
    expect(await none.json()).toEqual({ status: 1, notes: [] });

    for (const [path, token] of [
      [chatId, signToken({ customer_types: ['Partner'] })],
      ['999999999', signToken()],
      ['not-a-chat', signToken()],
    ] as const) {
      const refused = await notesRoute(path, token);
      expect(refused.status, path).toBe(404);
      expect(await refused.json()).toMatchObject({ status: 0, error: 'chat_not_found' });
    }
    expect((await notesRoute(chatId, null)).status).toBe(401);
  });

  it('refuses blank or long notes, other types and unknown chats, writing nothing', async () => {
    const chatId = await insertChat(run.tier.db, 'Customer');
    const client = await author();
    const partnerOnly = await author({ customer_types: ['Partner'] });
    const refusals: Refusals = [
      [client, { chat_id: chatId, content: ' \n ' }, /content/],
      [client, { chat_id: chatId, content: '' }, /content/],
      [client, { chat_id: chatId, content: 'x'.repeat(LIMITS.note + 1) }, /content/],
      [client, { chat_id: chatId, content: null }, /content/],
      [client, { chat_id: chatId }, /content/],
      [partnerOnly, { chat_id: chatId, content: 'hidden' }, /Chat not found/],
      [client, { chat_id: '999999999', content: 'lost' }, /Chat not found/],
    ];
    await expectRefused(ClientEvent.AddNote, refusals);
    expect(await noteCount(chatId)).toBe(0);
  });
});
