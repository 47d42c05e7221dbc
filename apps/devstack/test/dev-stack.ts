import {
  type AppProcess,
  createTestDatabase,
  startNode,
  type TestDatabase,
  uniquePrefix,
  until,
} from '@care-chat/testkit';
import { inject } from 'vitest';

export interface RunningDevStack {
  process: AppProcess;
  url: string;
  /** The console's URL as printed, which opens logged in as the demo executive. */
  consoleUrl: string;
  /** The demo executive's access token, from that URL. */
  token: string;
  database: TestDatabase;
  /** SIGINT to its process group, as Ctrl-C in a terminal; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

const DEMO_PASSWORD = 'console-test-password';
export const DEMO_LOGIN = { username: 'demo', password: DEMO_PASSWORD };

/**
 * `node apps/devstack/dist/main.js` as `npm start` runs it, on a free port, this run's Redis and a database
 * of its own, or (`pglite`) its embedded PostgreSQL.
 */
export async function startDevStack(options: { pglite?: boolean } = {}): Promise<RunningDevStack> {
  const database = await createTestDatabase();
  const process = startNode(
    'apps/devstack/dist/main.js',
    {
      PORT: '0',
      REDIS_URL: inject('redisUrl'),
      ...(options.pglite === true ? { PGLITE: 'true' } : { DATABASE_URL: database.url }),
      REDIS_KEY_PREFIX: uniquePrefix(),
      DEMO_PASSWORD,
      LOG_PRETTY: 'false',
    },
    [],
    [],
    { ownProcessGroup: true },
  );
  // The line with the console's URL that opens logged in: the tier's own login answered.
  const printed = /(http:\/\/127\.0\.0\.1:\d+)\/dev\/console#token=(\S+)/;
  const line = await until(
    async () => process.output.find((text) => printed.test(text)),
    (found) => found !== undefined || process.child.exitCode !== null,
    'the dev stack to print its URLs',
    90_000,
  ).catch(() => undefined);
  const [consoleUrl, url, token] = printed.exec(line ?? '') ?? [];
  if (consoleUrl === undefined || url === undefined || token === undefined) {
    await interrupt(process);
    await database.drop();
    throw new Error(`the dev stack did not start:\n${process.output.slice(-30).join('\n')}`);
  }
  return {
    process,
    url,
    consoleUrl,
    token,
    database,
    stop: async () => {
      const code = await interrupt(process);
      await database.drop();
      return code;
    },
  };
}

export function interrupt(stack: AppProcess): Promise<number | null> {
  const { pid, exitCode, signalCode } = stack.child;
  if (pid !== undefined && exitCode === null && signalCode === null) process.kill(-pid, 'SIGINT');
  return stack.exited;
}

/** `npm run simulate -- --type … --text …` with nothing but PATH: its defaults must be the dev stack's. */
export async function runSimulate(url: string, type: string, text: string) {
  const simulate = startNode('packages/testkit/dist/simulate.js', {}, ['--url', url, '--type', type, '--text', text]);
  return { code: await simulate.exited, output: simulate.output.join('\n') };
}
