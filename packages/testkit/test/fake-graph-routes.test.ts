import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../src/fake-graph/fake-graph.js';
import { SAMPLE_BUSINESS_ACCOUNTS, sampleTemplates } from '../src/fake-graph/templates-route.js';

const TOKEN = 'fake-graph-routes-token';
const auth = { authorization: `Bearer ${TOKEN}` };
let fake: FakeGraph;

beforeAll(async () => {
  fake = await FakeGraph.start({ token: TOKEN });
});
afterAll(() => fake?.close());

/** The fields of Graph's answers these tests read. */
interface GraphAnswer {
  data?: { name: string }[];
  paging?: { next?: string };
  error?: { code: number; message: string };
  id?: string;
  url?: string;
}

const json = async (url: string, init: RequestInit = {}) => {
  const answer = await fetch(url, { ...init, headers: { ...auth, ...init.headers } });
  return { status: answer.status, body: (await answer.json()) as GraphAnswer };
};

describe('message_templates', () => {
  it('pages by `limit` with an `after` cursor and a `next` URL until the last page, every status listed', async () => {
    const account = SAMPLE_BUSINESS_ACCOUNTS.Vendor;
    fake.templates.set(account, sampleTemplates('Vendor'));
    const names: string[] = [];
    let url: string | undefined = `${fake.baseUrl}/${account}/message_templates?limit=2`;
    let pages = 0;
    while (url !== undefined) {
      const { status, body } = await json(url);
      expect(status).toBe(200);
      names.push(...(body.data ?? []).map((t) => t.name));
      url = body.paging?.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(sampleTemplates('Vendor').map((t) => t.name));
  });

  it('answers an account it holds nothing for as Graph answers an unknown id', async () => {
    const { status, body } = await json(`${fake.baseUrl}/999/message_templates`);
    expect({ status, code: body.error?.code }).toEqual({ status: 400, code: 100 });
  });
});

describe('media upload', () => {
  const form = (fields: Record<string, string>, file?: Blob) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) data.append(key, value);
    if (file !== undefined) data.append('file', file, 'note.pdf');
    return data;
  };
  const pdf = new Blob([Buffer.from('%PDF-1.7 fake')], { type: 'application/pdf' });

  it('keeps the file as media a download returns', async () => {
    const upload = await json(`${fake.baseUrl}/100000000000001/media`, {
      method: 'POST',
      body: form({ messaging_product: 'whatsapp', type: 'application/pdf' }, pdf),
    });
    expect(upload.status).toBe(200);
    const metadata = await json(`${fake.baseUrl}/${upload.body.id}`);
    expect(metadata.body).toMatchObject({ mime_type: 'application/pdf', file_size: 13 });
    const bytes = await fetch(metadata.body.url ?? '', { headers: auth });
    expect(await bytes.text()).toBe('%PDF-1.7 fake');
    expect(fake.uploads.received.at(-1)).toMatchObject({ phoneNumberId: '100000000000001', fileName: 'note.pdf' });
  });

  it.each([
    ['no messaging_product', form({ type: 'application/pdf' }, pdf), 'messaging_product'],
    ['no type', form({ messaging_product: 'whatsapp' }, pdf), 'type'],
    ['no file', form({ messaging_product: 'whatsapp', type: 'application/pdf' }), 'file'],
  ])('refuses %s with error 100', async (_name, body, parameter) => {
    const before = fake.uploads.received.length;
    const answer = await json(`${fake.baseUrl}/100000000000001/media`, { method: 'POST', body });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 100, message: `(#100) The parameter ${parameter} is required.` });
    expect(fake.uploads.received.length).toBe(before);
  });
});
