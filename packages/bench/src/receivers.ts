import { Worker } from 'node:worker_threads';
import { CUSTOMER_TYPES } from '@care-chat/contract';
import { type Latencies, Population } from './population.js';

export interface Take {
  latencies: Latencies;
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** The receiver threads' worst event-loop lag p99 since the last take (ms); 0 when receiving in this thread. */
  loopP99Ms: number;
}

/** The benchmark's dashboards, in this thread or spread over worker threads (one event loop each). */
export interface Receivers {
  /** Clients in each customer type's room. */
  readonly perType: number[];
  connect(urls: readonly string[], count: number, rooms?: boolean): Promise<number>;
  /** First receipts so far, all clients together. */
  received(): Promise<number>;
  /** The tally of messages [from, to), and the latencies measured since the last take. */
  take(from: number, to: number): Promise<Take>;
  close(): Promise<void>;
}

const countPerType = (count: number, rooms: boolean, perType: number[]) => {
  if (rooms)
    for (let i = 0; i < count; i++) perType[i % CUSTOMER_TYPES.length] = (perType[i % CUSTOMER_TYPES.length] ?? 0) + 1;
};

export class LocalReceivers implements Receivers {
  readonly perType = [0, 0, 0, 0];
  readonly #population: Population;

  constructor(maxMessages: number, jwtSecret: string) {
    this.#population = new Population(maxMessages, jwtSecret);
  }

  async connect(urls: readonly string[], count: number, rooms = true): Promise<number> {
    countPerType(count, rooms, this.perType);
    return this.#population.connect(urls, count, { rooms });
  }

  async received(): Promise<number> {
    return this.#population.received;
  }

  async take(from: number, to: number): Promise<Take> {
    return { latencies: this.#population.takeLatencies(), ...this.#population.tally(from, to), loopP99Ms: 0 };
  }

  async close(): Promise<void> {
    this.#population.close();
  }
}

type Reply = { id: number; value: unknown };

/** Clients split over `threads` worker threads, so receiving is not held up by one event loop. */
export class ThreadReceivers implements Receivers {
  readonly perType = [0, 0, 0, 0];
  readonly #workers: Worker[];
  #calls = 0;
  readonly #pending = new Map<number, (value: unknown) => void>();

  constructor(threads: number, maxMessages: number, jwtSecret: string) {
    this.#workers = Array.from({ length: threads }, () => {
      const worker = new Worker(new URL('./receiver-thread.js', import.meta.url), {
        workerData: { maxMessages, jwtSecret },
      });
      worker.on('message', ({ id, value }: Reply) => this.#pending.get(id)?.(value));
      return worker;
    });
  }

  #ask<T>(worker: Worker, command: Record<string, unknown>): Promise<T> {
    const id = ++this.#calls;
    return new Promise((resolve) => {
      this.#pending.set(id, (value) => {
        this.#pending.delete(id);
        resolve(value as T);
      });
      worker.postMessage({ id, ...command });
    });
  }

  #all<T>(command: Record<string, unknown> | ((index: number) => Record<string, unknown>)): Promise<T[]> {
    return Promise.all(
      this.#workers.map((w, i) => this.#ask<T>(w, typeof command === 'function' ? command(i) : command)),
    );
  }

  async connect(urls: readonly string[], count: number, rooms = true): Promise<number> {
    countPerType(count, rooms, this.perType);
    const share = Math.ceil(count / this.#workers.length);
    const start = performance.now();
    await this.#all((i) => ({
      command: 'connect',
      urls,
      first: i * share,
      count: Math.max(0, Math.min(share, count - i * share)),
      rooms,
    }));
    return count / ((performance.now() - start) / 1000);
  }

  async received(): Promise<number> {
    return (await this.#all<number>({ command: 'received' })).reduce((sum, n) => sum + n, 0);
  }

  async take(from: number, to: number): Promise<Take> {
    const parts = await this.#all<Take>({ command: 'take', from, to });
    return {
      latencies: {
        endToEnd: parts.flatMap((part) => part.latencies.endToEnd),
        messages: parts.flatMap((part) => part.latencies.messages),
        fromStream: parts.flatMap((part) => part.latencies.fromStream),
      },
      expected: parts.reduce((sum, part) => sum + part.expected, 0),
      delivered: parts.reduce((sum, part) => sum + part.delivered, 0),
      lost: parts.reduce((sum, part) => sum + part.lost, 0),
      duplicated: parts.reduce((sum, part) => sum + part.duplicated, 0),
      loopP99Ms: Math.max(...parts.map((part) => part.loopP99Ms)),
    };
  }

  async close(): Promise<void> {
    await this.#all({ command: 'close' });
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
