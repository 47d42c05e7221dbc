import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { relayUpgrade } from '@care-chat/runtime';

export interface BalancerOptions {
  port?: number;
  host?: string;
  answer?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * An HTTP load balancer without sticky sessions, as Railway's: each request, and each WebSocket upgrade,
 * goes to a replica picked at random.
 */
export class RandomBalancer {
  /** Requests sent to each upstream port. */
  readonly served = new Map<number, number>();

  private constructor(
    private readonly server: Server,
    private upstreams: number[],
  ) {}

  /**
   * `answer` may take a request for itself (the dev stack's control routes) by returning true; the rest
   * go to a replica.
   */
  static async start(upstreams: number[], options: BalancerOptions = {}): Promise<RandomBalancer> {
    const server = createServer();
    const balancer = new RandomBalancer(server, upstreams);
    server.on('request', (req, res) => {
      if (options.answer?.(req, res) === true) return;
      const port = balancer.pick();
      const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      req.pipe(upstream);
    });
    server.on('upgrade', (req, socket, head) =>
      relayUpgrade(req, socket, head, { host: '127.0.0.1', port: balancer.pick() }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    return balancer;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  setUpstreams(ports: number[]): void {
    this.upstreams = ports;
  }

  private pick(): number {
    const port = this.upstreams[Math.floor(Math.random() * this.upstreams.length)] ?? 0;
    this.served.set(port, (this.served.get(port) ?? 0) + 1);
    return port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
