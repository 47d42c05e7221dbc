import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** The access token tiers under test are given for the Graph API (WHATSAPP_ACCESS_TOKEN). */
export const TEST_GRAPH_TOKEN = 'test-graph-access-token-never-used-outside-tests';

interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
}

/**
 * The media half of WhatsApp's Graph API, as a tier downloads inbound media: `GET /{media_id}` answers the
 * media's metadata with a short-lived `url`, and `GET` on that url answers the bytes. Both want the Bearer
 * token, as Meta's do. Point WHATSAPP_API_BASE_URL at `url`.
 */
export class FakeGraphApi {
  /** Every request path, in order, for a test to look at. */
  readonly requests: string[] = [];
  private readonly media = new Map<string, StoredMedia>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeGraphApi> {
    const server = createServer();
    const graph = new FakeGraphApi(server);
    server.on('request', (req, res) => {
      graph.requests.push(req.url ?? '');
      const answer = graph.answer(req);
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return graph;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Media the tier may download under `mediaId`; random JPEG-ish bytes unless given. */
  addMedia(mediaId: string, mimeType = 'image/jpeg', bytes: Buffer = randomBytes(256)): Buffer {
    this.media.set(mediaId, { bytes, mimeType });
    return bytes;
  }

  private answer(req: IncomingMessage): { status: number; type: string; body: string | Buffer } {
    const json = (status: number, body: object) => ({ status, type: 'application/json', body: JSON.stringify(body) });
    if (req.headers.authorization !== `Bearer ${TEST_GRAPH_TOKEN}`) {
      return json(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
    }
    const path = new URL(req.url ?? '/', this.url).pathname;
    const bytesOf = /^\/media-bytes\/(\d+)$/.exec(path);
    const id = bytesOf?.[1] ?? /^(?:\/v\d+\.\d+)?\/(\d+)$/.exec(path)?.[1];
    const media = id === undefined ? undefined : this.media.get(id);
    if (id === undefined || media === undefined) {
      return json(404, { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100 } });
    }
    if (bytesOf !== null) return { status: 200, type: media.mimeType, body: media.bytes };
    return json(200, {
      messaging_product: 'whatsapp',
      url: `${this.url}/media-bytes/${id}`,
      mime_type: media.mimeType,
      file_size: media.bytes.length,
      id,
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
