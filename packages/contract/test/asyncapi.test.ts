import { readFileSync } from 'node:fs';
import specs from '@asyncapi/specs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
// The generator runs on the built constants, as `npm run docs` does (`npm test` builds first).
import { asyncApiDocument, render } from '../scripts/asyncapi.mjs';
import { ClientEvent, CUSTOMER_TYPE_ROUTES, responseEvent, ServerEvent } from '../src/index.js';

interface Document {
  operations: Record<string, { action: string; messages: unknown[] }>;
  channels: { dashboard: { messages: Record<string, { payload: object }> } };
  components: { schemas: Record<string, object> };
}
const document = asyncApiDocument() as unknown as Document;
const recorded = JSON.parse(
  readFileSync(new URL('../../testkit/fixtures/dashboard/client-events.json', import.meta.url), 'utf8'),
) as { events: Record<string, { variants: { id: string; payload: unknown }[] }> };

describe('the AsyncAPI document (asyncapi.json)', () => {
  it('is the one the code generates: after changing the contract, run `npm run docs`', async () => {
    await expect(render(document as unknown as Record<string, unknown>)).toMatchFileSnapshot('../asyncapi.json');
  });

  it('is a valid AsyncAPI 3.0 document', () => {
    const schema = structuredClone(specs.schemas['3.0.0']) as { definitions: Record<string, unknown> };
    // The bundle carries its own copy of the draft-07 meta-schema, which Ajv already has under the same id.
    delete schema.definitions['http://json-schema.org/draft-07/schema'];
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has every event: client events with their answers, the four room updates, every broadcast', () => {
    const clientEvents = Object.values(ClientEvent);
    const sent = [...Object.values(CUSTOMER_TYPE_ROUTES).map((route) => route.event), ...Object.values(ServerEvent)];
    for (const event of clientEvents) expect(document.operations[event]?.action, event).toBe('receive');
    for (const event of sent) expect(document.operations[event]?.action, event).toBe('send');
    expect(Object.keys(document.operations).sort()).toEqual([...clientEvents, ...sent].sort());
    const messages = Object.keys(document.channels.dashboard.messages);
    expect(messages.sort()).toEqual([...clientEvents, ...clientEvents.map(responseEvent), ...sent].sort());
  });

  const ajv = new Ajv({ strict: false, allErrors: true });
  const payloadOf = (event: string) =>
    ajv.compile({ ...document.channels.dashboard.messages[event]?.payload, components: document.components });
  const variants = Object.entries(recorded.events).flatMap(([event, { variants }]) =>
    variants.map((variant) => ({ event, ...variant })),
  );

  it.each(variants)('describes what the dashboard sends: $id', ({ event, payload }) => {
    const validate = payloadOf(event);
    expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
  });

  it('describes a refusal as the gateway sends it, and tells it from a success', () => {
    const answer = payloadOf(responseEvent(ClientEvent.JoinRoom));
    expect(answer({ status: 0, message: 'Not allowed' })).toBe(true);
    expect(answer({ status: 1, room: 'PartnerApp' })).toBe(true);
    expect(answer({ status: 1, room: 'NoSuchApp' })).toBe(false);
    expect(answer({ status: 2 })).toBe(false);
  });
});
