import { createServer } from 'node:net';

/**
 * Fails unless this machine can listen on `host`, tried on a free port before anything connects: a HOST
 * that does not resolve, or is another machine's address, stops the node before it migrates the database.
 */
export async function assertCanListenOn(host: string): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new Error(`HOST: cannot listen on ${host} (${code ?? message})`);
  }
  await new Promise((resolve) => server.close(resolve));
}
