import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppProcess } from '@care-chat/testkit/tools';
import {
  FakeGraph,
  FakeMessages,
  type GatewayNode,
  LOCAL_SECRETS,
  launchGateway,
  launchWorker,
  RandomBalancer,
  SAMPLE_BUSINESS_ACCOUNTS,
  SAMPLE_MEDIA,
  SAMPLE_NUMBERS,
  sampleTemplates,
} from '@care-chat/testkit/tools';

export interface DevTierOptions {
  /** What every process gets (Redis, PostgreSQL, the prefix, whatever the user set). */
  env: Record<string, string>;
  gateways: number;
  port: number;
  host: string;
  /** Requests the dev stack answers itself, before the balancer picks a gateway. */
  answer: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Called with each process once it runs, to show its output. */
  onProcess: (name: string, process: AppProcess) => void;
}

export interface GatewayState {
  index: number;
  name: string;
  up: boolean;
  port: number | null;
  pid: number | null;
  /** What the Engine.IO ids of its sessions start with: which gateway a client is on. */
  nodeId: string | null;
}

/**
 * The whole tier on one machine: gateways behind a balancer without sticky sessions, a worker, and the fake
 * WhatsApp Cloud API both talk to. A gateway killed here leaves the balancer's list at once, as a health
 * check would take it out; its clients reconnect through the balancer to another.
 */
export class DevTier {
  private constructor(
    private readonly options: DevTierOptions,
    readonly balancer: RandomBalancer,
    readonly fakeGraph: FakeGraph,
    readonly worker: AppProcess,
    private readonly nodes: (GatewayNode | null)[],
    private readonly processEnv: Record<string, string>,
  ) {}

  static async start(options: DevTierOptions): Promise<DevTier> {
    const fakeGraph = await FakeGraph.start({ token: LOCAL_SECRETS.WHATSAPP_ACCESS_TOKEN });
    fakeGraph.addMedia(SAMPLE_MEDIA);
    for (const [type, account] of Object.entries(SAMPLE_BUSINESS_ACCOUNTS)) {
      fakeGraph.templates.set(account, sampleTemplates(type as keyof typeof SAMPLE_BUSINESS_ACCOUNTS));
    }
    const processEnv = {
      ...LOCAL_SECRETS,
      WHATSAPP_NUMBERS: JSON.stringify(SAMPLE_NUMBERS),
      WHATSAPP_BUSINESS_ACCOUNTS: JSON.stringify(SAMPLE_BUSINESS_ACCOUNTS),
      WHATSAPP_API_BASE_URL: fakeGraph.baseUrl,
      DOCS_ENABLED: 'true',
      ...options.env,
    };
    const balancer = await RandomBalancer.start([], { port: options.port, host: options.host, answer: options.answer });
    // Replies are taken by the fake WhatsApp, which then tells the tier they were sent, delivered and read.
    FakeMessages.attach(fakeGraph, {
      url: balancer.url,
      appSecret: processEnv.WHATSAPP_APP_SECRET ?? LOCAL_SECRETS.WHATSAPP_APP_SECRET,
    });
    const tier = new DevTier(options, balancer, fakeGraph, await launchWorker(processEnv), [], processEnv);
    options.onProcess('worker', tier.worker);
    await Promise.all(Array.from({ length: options.gateways }, (_, index) => tier.startGateway(index)));
    return tier;
  }

  /** What webhooks are signed with: the local one unless the environment gave another. */
  get appSecret(): string {
    return this.processEnv.WHATSAPP_APP_SECRET ?? LOCAL_SECRETS.WHATSAPP_APP_SECRET;
  }

  get gateways(): GatewayState[] {
    return this.nodes.map((node, index) => ({
      index,
      name: gatewayName(index),
      up: node !== null,
      port: node?.port ?? null,
      pid: node?.process.child.pid ?? null,
      nodeId: nodeIdOf(node),
    }));
  }

  /** SIGKILL: no drain, no goodbye to its clients, as a crashed replica. */
  async kill(index: number): Promise<void> {
    const node = this.nodes[index];
    if (node === undefined || node === null) return;
    this.nodes[index] = null;
    this.route();
    await node.process.stop('SIGKILL');
  }

  /** Starts a gateway in the slot (stopping the one there first, gracefully). */
  async restart(index: number): Promise<void> {
    const node = this.nodes[index];
    if (node !== undefined && node !== null) {
      this.nodes[index] = null;
      this.route();
      await node.process.stop('SIGTERM');
    }
    await this.startGateway(index);
  }

  /**
   * Stops every process. `alreadySignalled`: a terminal's Ctrl-C reaches the whole process group, so they
   * are stopping already and a second signal would cut their shutdown short; each gets SIGTERM only if it
   * is still running after a grace period (when the SIGINT was sent to the dev stack alone).
   */
  async stop(alreadySignalled: boolean): Promise<void> {
    const running = this.nodes.filter((node): node is GatewayNode => node !== null).map((node) => node.process);
    this.nodes.fill(null);
    await Promise.all([...running, this.worker].map((process) => stopOnce(process, alreadySignalled)));
    await Promise.all([this.balancer.close(), this.fakeGraph.close()]);
  }

  private async startGateway(index: number): Promise<void> {
    const node = await launchGateway(this.processEnv);
    this.nodes[index] = node;
    this.options.onProcess(gatewayName(index), node.process);
    this.route();
  }

  private route(): void {
    this.balancer.setUpstreams(this.nodes.filter((node) => node !== null).map((node) => node.port));
  }
}

function nodeIdOf(node: GatewayNode | null | undefined): string | null {
  const registered = node?.process.logs.find((line) => line.msg === 'node registered');
  return typeof registered?.nodeId === 'string' ? registered.nodeId : null;
}

const SIGNALLED_GRACE_MS = 3000;

async function stopOnce(process: AppProcess, alreadySignalled: boolean): Promise<void> {
  const exited =
    alreadySignalled &&
    (await Promise.race([
      process.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, SIGNALLED_GRACE_MS, false)),
    ]));
  if (!exited) await process.stop('SIGTERM');
  // Its last lines (`stopped`) are shown before the dev stack exits.
  const { stdout } = process.child;
  if (stdout !== null && !stdout.closed) await once(stdout, 'close');
}

const gatewayName = (index: number) => `gateway-${index + 1}`;
