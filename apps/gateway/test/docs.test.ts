import { readFileSync } from 'node:fs';
import {
  createTestDatabase,
  type GatewayNode,
  startGateway,
  type TestDatabase,
  uniquePrefix,
} from '@care-chat/testkit';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

let database: TestDatabase;
let documented: GatewayNode;
let undocumented: GatewayNode;

beforeAll(async () => {
  database = await createTestDatabase();
  const prefix = uniquePrefix();
  [documented, undocumented] = await Promise.all([
    // Every optional route switched on, so the document has them all.
    startGateway(prefix, {
      DATABASE_URL: database.url,
      DOCS_ENABLED: 'true',
      ADMIN_UI_ENABLED: 'true',
      QUEUE_UI_ENABLED: 'true',
      SERVICE_TOKENS: 'service-token-for-tests-only-0123456789abcdef',
      PUBLIC_URL: 'http://127.0.0.1:3000',
      MEDIA_URL_SECRET: 'media-url-secret-for-tests-only-0123456789',
    }),
    startGateway(prefix, { DATABASE_URL: database.url }),
  ]);
});

afterAll(async () => {
  await Promise.all([documented?.process.stop(), undocumented?.process.stop()]);
  await database?.drop();
});

const get = (node: GatewayNode, path: string) => fetch(`${node.url}${path}`);

describe('the published documents', () => {
  it('OpenAPI: the one the routes generate; after changing a route, run `npm run docs`', async () => {
    const answer = await get(documented, '/api/docs/openapi.json');
    expect(answer.status).toBe(200);
    const document = (await answer.json()) as OpenApi;
    expect(document.openapi).toBe('3.1.0');
    const checked = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(checked.valid, JSON.stringify(checked.errors)).toBe(true);
    await expect(`${JSON.stringify(document, null, 2)}\n`).toMatchFileSnapshot('../openapi.json');
  });

  it('OpenAPI: describes the routes the dashboard and WhatsApp call, with their answers', async () => {
    const { paths } = (await (await get(documented, '/api/docs/openapi.json')).json()) as OpenApi;
    expect(paths['/api/auth/login']?.post?.responses).toHaveProperty('200');
    expect(paths['/webhooks/whatsapp']).toHaveProperty('post');
    expect(paths['/webhooks/whatsapp']).toHaveProperty('get');
    expect(paths['/api/health/ready']?.get?.responses).toHaveProperty('503');
    // The admin views are for people with a browser, not part of the API.
    expect(Object.keys(paths).filter((path) => path.startsWith('/admin'))).toEqual([]);
    expect(paths['/api/chats/{chat_id}/notes']).toHaveProperty('get');
    expect(paths['/api/customers/{customer}/details']).toHaveProperty('put');
    expect(paths['/api/media/{mediaId}']).toHaveProperty('get');
    expect(Object.keys(paths).filter((path) => path.startsWith('/api/docs'))).toEqual([]);
  });

  it('AsyncAPI: the contract package generated, served as it is', async () => {
    const answer = await get(documented, '/api/docs/asyncapi.json');
    expect(answer.status).toBe(200);
    const committed = readFileSync(new URL('../../../packages/contract/asyncapi.json', import.meta.url), 'utf8');
    expect(await answer.json()).toEqual(JSON.parse(committed));
  });

  it('neither is served unless DOCS_ENABLED', async () => {
    for (const path of ['/api/docs/openapi.json', '/api/docs/asyncapi.json']) {
      expect((await get(undocumented, path)).status).toBe(404);
    }
  });
});
