import { parseArgs } from 'node:util';
import { type Credentials, TEST_CREDENTIALS, targetCredentials } from './credentials.js';

/** The command line, read once. See main.ts for the options. */
export const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'realistic' },
    clients: { type: 'string' },
    customers: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    gateways: { type: 'string' },
    workers: { type: 'string', default: '1' },
    concurrency: { type: 'string' },
    threads: { type: 'string' },
    profile: { type: 'boolean', default: false },
    urls: { type: 'string' },
    save: { type: 'boolean', default: false },
  },
});
export const scenario = values.scenario ?? 'realistic';
export const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

/**
 * `--urls`: a running tier, signed for with its own secrets (see credentials.ts), its stored messages
 * counted when DATABASE_URL reaches its database; else one started here.
 */
export const targetUrls = values.urls?.split(',').filter(Boolean);
export const credentials: Credentials = targetUrls === undefined ? TEST_CREDENTIALS : targetCredentials(process.env);
/** Gateways a scenario runs on: those at `--urls`, `--gateways`, or 1 to measure idle memory and 2 otherwise. */
export const gatewaysFor = (name: string) => targetUrls?.length ?? number(values.gateways, name === 'idle' ? 1 : 2);
export const workerEnv: Record<string, string> =
  values.concurrency === undefined ? {} : { WORKER_CONCURRENCY: values.concurrency };
