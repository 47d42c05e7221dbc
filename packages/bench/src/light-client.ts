import { ClientEvent, responseEvent, SOCKET_PATH } from '@care-chat/contract';
import WebSocket from 'ws';

const JOINED = `42["${responseEvent(ClientEvent.JoinRoom)}"`;
// The driver writes `b<message>.<sent, µs since the epoch>`: latency is computed where it is received.
const TEXT = /"last_message":"b(\d+)\.(\d+)"/;

/**
 * A dashboard reduced to the wire: Engine.IO over a raw WebSocket, Socket.IO packets as text. It joins one
 * room and, per update, reads only the message number it carries, so thousands fit in the load generator
 * without it becoming what is measured.
 */
export class LightClient {
  #socket: WebSocket | undefined;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly room: string | null,
    private readonly onUpdate: (message: number, sentMicros: number) => void,
  ) {}

  connect(timeoutMs = 30_000): Promise<void> {
    const url = `${this.url.replace(/^http/, 'ws')}${SOCKET_PATH}/?EIO=4&transport=websocket&token=${this.token}`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    this.#socket = socket;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not joined in time')), timeoutMs);
      const joined = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.on('message', (data: Buffer) => {
        const frame = data.toString();
        if (frame === '2') return socket.send('3');
        if (frame.startsWith('0{')) return socket.send('40');
        if (frame.startsWith('40')) {
          if (this.room === null) return joined();
          return socket.send(`42${JSON.stringify([ClientEvent.JoinRoom, { room: this.room }])}`);
        }
        if (!frame.startsWith('42')) return;
        if (frame.startsWith(JOINED)) return joined();
        const match = TEXT.exec(frame);
        if (match?.[2] !== undefined) this.onUpdate(Number(match[1]), Number(match[2]));
      });
    });
  }

  close(): void {
    this.#socket?.terminate();
  }
}
