import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder whose upstream can be switched or cut: stands for the load balancer in front of
 * gateways (a test sends reconnecting clients to another node), or for the network to a dependency (a
 * test cuts PostgreSQL off and puts it back).
 */
export class TcpSwitch {
  private readonly sockets = new Set<Socket>();
  private cut = false;

  private constructor(
    private readonly server: Server,
    private upstream: number,
  ) {}

  static async start(upstreamPort: number): Promise<TcpSwitch> {
    const server = createServer();
    const relay = new TcpSwitch(server, upstreamPort);
    server.on('connection', (socket) => relay.forward(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  switchTo(port: number): void {
    this.upstream = port;
  }

  /** Drops every connection and refuses new ones until `reconnect`. */
  disconnect(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  reconnect(): void {
    this.cut = false;
  }

  /** `url` with its host and port replaced by this forwarder's. */
  wrap(url: string): string {
    const wrapped = new URL(url);
    wrapped.host = new URL(this.url).host;
    return wrapped.toString();
  }

  private forward(downstream: Socket): void {
    if (this.cut) {
      downstream.destroy();
      return;
    }
    const upstream = connect(this.upstream, '127.0.0.1');
    for (const socket of [downstream, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.pipe(upstream).pipe(downstream);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
