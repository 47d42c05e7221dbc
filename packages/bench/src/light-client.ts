import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { ClientEvent, responseEvent, SOCKET_PATH } from '@care-chat/contract';

const JOINED = Buffer.from(`42["${responseEvent(ClientEvent.JoinRoom)}"`);
// The driver writes `b<message>.<sent, µs since the epoch>`: latency is computed where it is received.
const TEXT = Buffer.from('"last_message":"b');
const [DOT, ZERO, NINE, DASH, QUOTE, CLOSE_BRACKET] = ['.', '0', '9', '-', '"', ']'].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
  number,
];
const TEXT_FRAME = 0x1;
const CLOSE_FRAME = 0x8;

/** A masked client text frame (the mask is zero, which leaves the payload as it is: the peer is local). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error('light client frames are short');
  return Buffer.concat([Buffer.from([0x80 | TEXT_FRAME, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}
const PONG = textFrame('3');
const CONNECT = textFrame('40');

/** The digits at `at` in `buffer`, as a number, and where they end. */
function digitsAt(buffer: Buffer, at: number, end: number): [number, number] {
  let value = 0;
  let i = at;
  for (; i < end; i++) {
    const c = buffer[i] as number;
    if (c < ZERO || c > NINE) break;
    value = value * 10 + c - ZERO;
  }
  return [value, i];
}

/**
 * The time a packet entered the broadcast stream: its offset, the last argument (`,"<ms>-<seq>"]`), starts
 * with Redis's clock in ms. Undefined for packets without one (bare Socket.IO).
 */
function streamMsOf(buffer: Buffer, end: number): number | undefined {
  if (buffer[end - 1] !== CLOSE_BRACKET || buffer[end - 2] !== QUOTE) return undefined;
  const start = buffer.lastIndexOf(QUOTE, end - 3);
  if (start === -1 || start < end - 40) return undefined;
  const [ms, dash] = digitsAt(buffer, start + 1, end);
  return buffer[dash] === DASH && dash > start + 1 ? ms : undefined;
}

const startsWith = (buffer: Buffer, start: number, end: number, prefix: Buffer | string) =>
  typeof prefix === 'string'
    ? end - start >= prefix.length && buffer.toString('latin1', start, start + prefix.length) === prefix
    : end - start >= prefix.length && buffer.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;

/**
 * A dashboard reduced to the wire: the WebSocket handshake and frames over a plain TCP socket, Engine.IO
 * and Socket.IO packets read in place. It joins one room and, per update, reads only the message number
 * and send time it carries: no frame is turned into a string, so thousands of clients cost the load
 * generator little and it is not what is measured.
 */
export class LightClient {
  #socket: Socket | undefined;
  #pending: Buffer = Buffer.alloc(0);
  #upgraded = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly room: string | null,
    private readonly onUpdate: (message: number, sentMicros: number, streamMs?: number) => void,
  ) {}

  connect(timeoutMs = 30_000): Promise<void> {
    const { hostname, port } = new URL(this.url);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('not joined in time')), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      const joined = () => {
        clearTimeout(timer);
        resolve();
      };
      const socket = connect({ host: hostname, port: Number(port), noDelay: true });
      this.#socket = socket;
      socket.on('error', fail);
      socket.on('connect', () => {
        socket.write(
          `GET ${SOCKET_PATH}/?EIO=4&transport=websocket&token=${this.token} HTTP/1.1\r\n` +
            `Host: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      socket.on('data', (chunk: Buffer) => {
        try {
          this.#read(chunk, joined);
        } catch (err) {
          socket.destroy();
          fail(err as Error);
        }
      });
    });
  }

  #read(chunk: Buffer, joined: () => void): void {
    let buffer = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    if (!this.#upgraded) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) {
        this.#pending = buffer;
        return;
      }
      const status = buffer.toString('latin1', 0, buffer.indexOf('\r\n'));
      if (!status.includes(' 101 ')) throw new Error(`handshake refused: ${status}`);
      this.#upgraded = true;
      buffer = buffer.subarray(end + 4);
    }
    let at = 0;
    while (buffer.length - at >= 2) {
      const opcode = (buffer[at] as number) & 0x0f;
      let length = (buffer[at + 1] as number) & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buffer.length - at < 4) break;
        length = buffer.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (buffer.length - at < 10) break;
        length = Number(buffer.readBigUInt64BE(at + 2));
        header = 10;
      }
      if (buffer.length - at < header + length) break;
      const start = at + header;
      at = start + length;
      if (opcode === CLOSE_FRAME) this.close();
      else if (opcode === TEXT_FRAME) this.#packet(buffer, start, at, joined);
    }
    this.#pending = at === buffer.length ? Buffer.alloc(0) : Buffer.from(buffer.subarray(at));
  }

  /** One Engine.IO packet, in `buffer` from `start` to `end`. */
  #packet(buffer: Buffer, start: number, end: number, joined: () => void): void {
    const socket = this.#socket as Socket;
    const type = buffer[start];
    if (type === 0x32 && end - start === 1)
      socket.write(PONG); // "2": ping
    else if (startsWith(buffer, start, end, '0{')) socket.write(CONNECT);
    else if (startsWith(buffer, start, end, '40')) {
      if (this.room === null) joined();
      else socket.write(textFrame(`42${JSON.stringify([ClientEvent.JoinRoom, { room: this.room }])}`));
    } else if (startsWith(buffer, start, end, JOINED)) joined();
    else if (startsWith(buffer, start, end, '42')) {
      const marker = buffer.indexOf(TEXT, start);
      if (marker === -1 || marker >= end) return;
      const [message, dot] = digitsAt(buffer, marker + TEXT.length, end);
      if (buffer[dot] !== DOT) return;
      this.onUpdate(message, digitsAt(buffer, dot + 1, end)[0], streamMsOf(buffer, end));
    }
  }

  close(): void {
    this.#socket?.destroy();
  }
}
