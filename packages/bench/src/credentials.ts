import { CUSTOMER_TYPES, type CustomerType, parseWhatsAppNumbers } from '@care-chat/contract';
import { type EnvSource, env, parseEnv } from '@care-chat/runtime';
import { SAMPLE_NUMBERS, TEST_APP_SECRET, TEST_JWT_SECRET, TEST_METRICS_TOKEN } from '@care-chat/testkit/tools';

/** What the load generator signs tokens and webhooks with, and the business number of each customer type. */
export interface Credentials {
  jwtSecret: string;
  appSecret: string;
  numbers: Readonly<Record<CustomerType, string>>;
  /** What the gateways' `/metrics` asks for; without it, their event-loop lag and heap are not read. */
  metricsToken: string | undefined;
}

/** Those of a tier the bench starts itself. */
export const TEST_CREDENTIALS: Credentials = {
  jwtSecret: TEST_JWT_SECRET,
  appSecret: TEST_APP_SECRET,
  numbers: SAMPLE_NUMBERS,
  metricsToken: TEST_METRICS_TOKEN,
};

/**
 * Those of a running tier, from the variables its own services read: JWT_SECRET (HS256), WHATSAPP_APP_SECRET
 * and WHATSAPP_NUMBERS, with a number for every customer type, and METRICS_TOKEN where it has one.
 */
export function targetCredentials(source: EnvSource): Credentials {
  const raw = parseEnv(
    source,
    {
      JWT_SECRET: env.requiredString(),
      WHATSAPP_APP_SECRET: env.requiredString(),
      WHATSAPP_NUMBERS: parseWhatsAppNumbers,
      METRICS_TOKEN: env.optionalString(),
    },
    ({ WHATSAPP_NUMBERS: byNumber }) => {
      const served = new Set(byNumber?.values() ?? []);
      const missing = CUSTOMER_TYPES.filter((type) => !served.has(type));
      return missing.length === 0 ? [] : [`WHATSAPP_NUMBERS: no phone_number_id for ${missing.join(', ')}`];
    },
  );
  const numbers = Object.fromEntries([...raw.WHATSAPP_NUMBERS].map(([number, type]) => [type, number]));
  return {
    jwtSecret: raw.JWT_SECRET,
    appSecret: raw.WHATSAPP_APP_SECRET,
    numbers: numbers as Record<CustomerType, string>,
    metricsToken: raw.METRICS_TOKEN,
  };
}
