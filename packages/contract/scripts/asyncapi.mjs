// The AsyncAPI document of the Socket.IO events, generated from this package's types (the payload shapes) and
// its built constants (event names, rooms), so the published contract cannot say other than the code.
// `npm run docs` rewrites asyncapi.json; the package's tests fail while the file and the code disagree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import { ClientEvent, CUSTOMER_TYPE_ROUTES, responseEvent, ServerEvent } from '../dist/index.js';

const root = new URL('../', import.meta.url);
const DEFINITIONS = '#/definitions/';
const SCHEMAS = '#/components/schemas/';

/** Every `$ref` into the generator's `definitions` pointed at the document's `components.schemas`. */
const rehome = (schema) => JSON.parse(JSON.stringify(schema).replaceAll(`"${DEFINITIONS}`, `"${SCHEMAS}`));

function payloadSchemas() {
  const generator = createGenerator({
    path: fileURLToPath(new URL('src/index.ts', root)),
    tsconfig: fileURLToPath(new URL('tsconfig.json', root)),
    type: '*',
    expose: 'export',
    topRef: false,
    skipTypeCheck: true,
    // Clients may send more than the contract reads: the validators drop unknown fields.
    additionalProperties: true,
  });
  const schemas = {};
  const maps = {};
  for (const name of ['ClientRequests', 'ClientSuccesses', 'ServerBroadcastPayloads']) {
    const { definitions = {}, ...schema } = generator.createSchema(name);
    Object.assign(schemas, rehome(definitions));
    maps[name] = rehome(schema);
  }
  for (const name of ['ChatSummary', 'Failure']) {
    const { definitions = {}, ...schema } = generator.createSchema(name);
    Object.assign(schemas, rehome(definitions), { [name]: rehome(schema) });
  }
  for (const [name, schema] of Object.entries(schemas)) if (name.endsWith('Request')) nullableOptionals(schema);
  return { schemas, maps };
}

/** The validators take a null field as an absent one (the dashboard sends `type: null`): the document says so. */
function nullableOptionals(schema) {
  const required = new Set(schema.required ?? []);
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    if (!required.has(field)) schema.properties[field] = { anyOf: [property, { type: 'null' }] };
  }
}

const ref = (path) => ({ $ref: path });

export function asyncApiDocument() {
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const { schemas, maps } = payloadSchemas();
  const messages = {};
  const operations = {};
  const message = (name, payload, description) => {
    messages[name] = { name, title: name, ...(description && { description }), payload };
    return ref(`#/channels/dashboard/messages/${name}`);
  };
  const channel = ref('#/channels/dashboard');

  for (const event of Object.values(ClientEvent)) {
    const answer = responseEvent(event);
    operations[event] = {
      action: 'receive',
      channel,
      summary: `The client emits ${event}; the gateway answers through the ack and as ${answer}.`,
      messages: [message(event, maps.ClientRequests.properties[event])],
      reply: {
        channel,
        messages: [
          message(answer, {
            oneOf: [
              {
                allOf: [
                  { type: 'object', properties: { status: { const: 1 } }, required: ['status'] },
                  maps.ClientSuccesses.properties[event],
                ],
              },
              ref(`${SCHEMAS}Failure`),
            ],
          }),
        ],
      },
    };
  }
  for (const [type, route] of Object.entries(CUSTOMER_TYPE_ROUTES)) {
    operations[route.event] = {
      action: 'send',
      channel,
      summary: `To the ${route.room} room: a ${type} chat changed (a customer wrote).`,
      messages: [message(route.event, ref(`${SCHEMAS}ChatSummary`), `Sent to the room ${route.room}.`)],
    };
  }
  for (const event of Object.values(ServerEvent)) {
    operations[event] = {
      action: 'send',
      channel,
      summary: `Broadcast ${event} to the rooms concerned.`,
      messages: [message(event, maps.ServerBroadcastPayloads.properties[event])],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'care-chat realtime tier: Socket.IO events',
      version,
      description:
        'Every event of the dashboard connection (Socket.IO v4, default namespace). Actions are the ' +
        "gateway's: it receives the client's events and answers each, and sends the room broadcasts.",
    },
    defaultContentType: 'application/json',
    servers: {
      gateway: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: 'Socket.IO v4 over WebSocket or HTTP long-polling; the JWT in auth.token or the query.',
      },
    },
    channels: {
      dashboard: {
        address: '/',
        description: 'The default namespace: one connection carries every event.',
        messages,
      },
    },
    operations,
    components: { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) },
  };
}

export const render = (document) => `${JSON.stringify(document, null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(new URL('asyncapi.json', root), render(asyncApiDocument()));
  console.log('wrote packages/contract/asyncapi.json');
}
