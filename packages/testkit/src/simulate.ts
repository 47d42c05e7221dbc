/**
 * Sends one signed inbound text webhook to a running gateway, so a person can watch the room update arrive:
 *   npm run simulate -- --type Vendor --text "Where is my cab?"
 * Its defaults are the dev stack's (`npm start`): http://127.0.0.1:3000, the local app secret, the sample
 * numbers; GATEWAY_URL, WHATSAPP_APP_SECRET and WHATSAPP_NUMBERS point it at another tier.
 */
import { parseArgs } from 'node:util';
import { CUSTOMER_TYPES, isCustomerType } from '@care-chat/contract';
import { LOCAL_SECRETS } from './local-secrets.js';
import { newWamid, postWebhook, SAMPLE_NUMBERS, textWebhook } from './whatsapp-webhooks.js';

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(1);
}

function parseCli() {
  try {
    return parseArgs({
      options: {
        type: { type: 'string', default: 'Partner' },
        text: { type: 'string', default: 'Hello from simulate' },
        customer: { type: 'string', default: '919800000001' },
        name: { type: 'string' },
        url: { type: 'string', default: process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function numberMap(): Record<string, unknown> {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(process.env.WHATSAPP_NUMBERS || '{}');
  } catch {
    // Reported below, with the shape expected.
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  return fail('WHATSAPP_NUMBERS must be a JSON object such as {"Partner":"<phone_number_id>"}');
}

const args = parseCli();
const appSecret = process.env.WHATSAPP_APP_SECRET || LOCAL_SECRETS.WHATSAPP_APP_SECRET;
const type = args.type;
if (!isCustomerType(type)) fail(`--type must be one of ${CUSTOMER_TYPES.join(', ')}, not ${type}`);

const mapped = numberMap()[type];
const phoneNumberId = typeof mapped === 'string' && mapped !== '' ? mapped : SAMPLE_NUMBERS[type];
if (process.env.WHATSAPP_NUMBERS && phoneNumberId !== mapped) {
  console.log(`note: WHATSAPP_NUMBERS has no ${type}; using ${phoneNumberId}, which the worker must map to ${type}`);
}

const wamid = newWamid();
const body = textWebhook({ phoneNumberId, from: args.customer, name: args.name, text: args.text, wamid });
console.log(`sending ${type} text to phone_number_id ${phoneNumberId} from ${args.customer}, wamid ${wamid}`);
try {
  const { status, text } = await postWebhook(args.url, body, appSecret);
  console.log(`gateway ${args.url} answered ${status}: ${text}`);
  process.exitCode = status === 200 ? 0 : 1;
} catch (error) {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  fail(`cannot reach the gateway at ${args.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
}
