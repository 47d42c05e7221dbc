import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

/** A `redis-server` of a test's own, on a free port, that the test may stop and start again. */
export class RedisServer {
  private child: ReturnType<typeof spawn> | undefined;

  private constructor(
    readonly port: number,
    private readonly dataDir: string | null,
  ) {}

  /**
   * With `dataDir`, it keeps every write on disk before answering (AOF, fsync always), as a production
   * Redis behind this tier must, so a restart loses nothing acknowledged.
   */
  static async start(options: { dataDir?: string } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options.dataDir ?? null);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const persistence =
      this.dataDir === null
        ? ['--appendonly', 'no']
        : ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dataDir];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    try {
      await probe.connect().catch(() => undefined);
      await probe.ping();
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server (SIGKILL: no goodbye to its clients). */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}
