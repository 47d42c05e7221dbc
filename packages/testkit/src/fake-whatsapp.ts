/**
 * The fake WhatsApp Cloud API on a fixed port, for a local start: point the gateway's
 * WHATSAPP_API_BASE_URL at the URL it prints and give it the same WHATSAPP_ACCESS_TOKEN.
 *   node packages/testkit/dist/fake-whatsapp.js [--port 4010] [--token local-access-token]
 * It holds one sample image, id 1122334455667788, to send in a webhook's `image.id`, and sample message
 * templates in the accounts of SAMPLE_BUSINESS_ACCOUNTS (give the gateway the WHATSAPP_NUMBERS and
 * WHATSAPP_BUSINESS_ACCOUNTS it prints).
 */
import { parseArgs } from 'node:util';
import { CUSTOMER_TYPES } from '@care-chat/contract';
import { FakeGraph } from './fake-graph/fake-graph.js';
import { SAMPLE_MEDIA } from './fake-graph/sample-media.js';
import { SAMPLE_BUSINESS_ACCOUNTS, sampleTemplates } from './fake-graph/templates-route.js';
import { LOCAL_SECRETS } from './local-secrets.js';
import { SAMPLE_NUMBERS } from './whatsapp-webhooks.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string', default: process.env.WHATSAPP_ACCESS_TOKEN ?? LOCAL_SECRETS.WHATSAPP_ACCESS_TOKEN },
  },
});
const fake = await FakeGraph.start({ token: values.token, port: Number(values.port), host: values.host });
fake.addMedia(SAMPLE_MEDIA);
for (const type of CUSTOMER_TYPES) fake.templates.set(SAMPLE_BUSINESS_ACCOUNTS[type], sampleTemplates(type));
console.log(`fake WhatsApp Cloud API at ${fake.baseUrl} (token "${values.token}"), sample image id ${SAMPLE_MEDIA.id}`);
console.log(`  WHATSAPP_API_BASE_URL=${fake.baseUrl} WHATSAPP_ACCESS_TOKEN=${values.token}`);
console.log(
  `  WHATSAPP_NUMBERS='${JSON.stringify(SAMPLE_NUMBERS)}' WHATSAPP_BUSINESS_ACCOUNTS='${JSON.stringify(SAMPLE_BUSINESS_ACCOUNTS)}'`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void fake.close());
