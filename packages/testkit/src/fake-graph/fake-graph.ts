import { createHash, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GraphError, GraphErrors, graphError } from './graph-error.js';
import { FakeUploads } from './media-upload-route.js';
import { type FakeRequest, type FakeResponse, Router } from './router.js';
import { FakeTemplates } from './templates-route.js';

export interface FakeMedia {
  /** Digits, as WhatsApp's; made up when not given. */
  id?: string;
  mimeType: string;
  bytes: Buffer;
  /** The `file_size` the metadata declares, when a test wants it to lie; the length of `bytes` otherwise. */
  declaredSize?: number;
}

/** Something a route does instead of, or besides, answering as the Cloud API would. */
export type Fault =
  /** Answers this status with a Graph error body (`error`, else one fitting the status; `Retry-After` when given). */
  | { status: number; error?: GraphError; retryAfterSeconds?: number }
  /** Waits this long before answering, as a slow or stuck Graph API does. */
  | { delayMs: number }
  /** Announces the whole body, sends this many bytes of it, and drops the connection. */
  | { truncateAfterBytes: number };

export interface SeenRequest {
  route: string;
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface FakeGraphOptions {
  /** The access token it accepts as `Authorization: Bearer`. */
  token: string;
  port?: number;
  host?: string;
  /** The API version in the paths it hands out (any `vNN.N` is accepted). */
  version?: string;
}

/** A Graph API path: `/{version}/…`, the version optional as Graph's own. */
export const graphPath = (rest: string) => new RegExp(`^(?:/v\\d+\\.\\d+)?${rest}$`);
const DOWNLOAD_PATH = '/whatsapp_business/attachments/';

/**
 * A local stand-in for the WhatsApp Cloud API (Graph API), on a real port: what this tier calls, answered
 * the way Meta does, with faults a test can program per route: media (`GET /{media-id}`, metadata whose
 * `url` points back here, and that URL, the bytes), message templates (templates-route.ts) and media
 * uploads (media-upload-route.ts), all behind the Bearer token. Routes are added to `router` by name.
 */
export class FakeGraph {
  readonly router = new Router();
  /** `GET /{waba-id}/message_templates`: what each account holds. */
  readonly templates = new FakeTemplates(this.router);
  /** `POST /{phone-number-id}/media`: what was uploaded, kept as media a download returns. */
  readonly uploads = new FakeUploads(this.router, (media) => this.addMedia(media));
  readonly requests: SeenRequest[] = [];
  private readonly media = new Map<string, FakeMedia & { id: string }>();
  private readonly faults = new Map<string, Fault[]>();

  private constructor(
    private readonly server: Server,
    private readonly options: FakeGraphOptions,
  ) {
    this.router
      .add({ name: 'media', method: 'GET', pattern: graphPath('/(\\d+)'), handler: (r) => this.metadata(r) })
      .add({
        name: 'download',
        method: 'GET',
        pattern: new RegExp(`^${DOWNLOAD_PATH}$`),
        handler: (r) => this.bytes(r),
      });
  }

  static async start(options: FakeGraphOptions): Promise<FakeGraph> {
    const server = createServer();
    const fake = new FakeGraph(server, options);
    // A request its sender broke off (an upload refused halfway) cannot be answered: its socket is gone.
    server.on('request', (req, res) => void fake.handle(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    return fake;
  }

  get origin(): string {
    const { address, port, family } = this.server.address() as AddressInfo;
    return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  }

  /** What `WHATSAPP_API_BASE_URL` is set to: the origin and the version. */
  get baseUrl(): string {
    return `${this.origin}/${this.options.version ?? 'v21.0'}`;
  }

  /** Adds media as if a customer had sent it; returns its id. */
  addMedia(media: FakeMedia): string {
    const id = media.id ?? `${randomInt(1e7, 1e8)}${randomInt(1e7, 1e8)}`;
    this.media.set(id, { ...media, id });
    return id;
  }

  /** The next `times` requests to route `name` meet `fault`. */
  fail(name: string, fault: Fault, times = 1): void {
    const queued = this.faults.get(name) ?? [];
    this.faults.set(name, [...queued, ...Array.from({ length: times }, () => fault)]);
  }

  /** Requests that reached route `name`. */
  seen(name: string): SeenRequest[] {
    return this.requests.filter((request) => request.route === name);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private metadata({ params: [id = ''] }: FakeRequest): FakeResponse {
    const media = this.media.get(id);
    if (media === undefined) return graphError(400, GraphErrors.unknownObject(id));
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        url: `${this.origin}${DOWNLOAD_PATH}?mid=${id}&ext=${Math.floor(Date.now() / 1000)}&hash=FAKE`,
        mime_type: media.mimeType,
        sha256: createHash('sha256').update(media.bytes).digest('hex'),
        file_size: media.declaredSize ?? media.bytes.length,
        id,
      },
    };
  }

  private bytes({ url }: FakeRequest): FakeResponse {
    const media = this.media.get(url.searchParams.get('mid') ?? '');
    // The download host answers an unknown attachment with an empty 404, not a Graph error.
    if (media === undefined) return { status: 404, body: Buffer.alloc(0) };
    return { status: 200, headers: { 'content-type': media.mimeType }, body: media.bytes };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const matched = this.router.match(req.method ?? 'GET', url.pathname);
    const authorization = req.headers.authorization;
    this.requests.push({
      route: matched?.route.name ?? '',
      method: req.method ?? '',
      path: url.pathname,
      authorization,
    });
    if (matched === undefined) return write(res, graphError(400, GraphErrors.unknownObject(url.pathname.slice(1))));
    if (authorization !== `Bearer ${this.options.token}`) return write(res, graphError(401, GraphErrors.invalidToken));
    const fault = this.faults.get(matched.route.name)?.shift();
    if (fault !== undefined && 'delayMs' in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault !== undefined && 'status' in fault) return write(res, faultAnswer(fault));
    const request = {
      method: req.method ?? 'GET',
      url,
      params: matched.params,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    const answer = await matched.route.handler(request);
    write(res, answer, fault !== undefined && 'truncateAfterBytes' in fault ? fault.truncateAfterBytes : undefined);
  }
}

function faultAnswer({ status, error, retryAfterSeconds }: Extract<Fault, { status: number }>): FakeResponse {
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return graphError(status, error ?? (status === 429 ? GraphErrors.rateLimited : GraphErrors.unavailable), headers);
}

function write(res: ServerResponse, answer: FakeResponse, truncateAfterBytes?: number): void {
  const isBytes = Buffer.isBuffer(answer.body);
  const body = isBytes ? (answer.body as Buffer) : Buffer.from(JSON.stringify(answer.body));
  res.writeHead(answer.status, {
    'content-type': isBytes ? 'application/octet-stream' : 'application/json; charset=UTF-8',
    ...answer.headers,
    'content-length': String(body.length),
  });
  if (truncateAfterBytes === undefined) {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, truncateAfterBytes), () => res.destroy());
}
