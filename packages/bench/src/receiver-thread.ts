import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Population } from './population.js';

// One thread's share of the benchmark's dashboards; commands come from ThreadReceivers.
const { maxMessages, jwtSecret } = workerData as { maxMessages: number; jwtSecret: string };
const population = new Population(maxMessages, jwtSecret);
// A late receipt may be this thread's lag, not the tier's: the lag is reported with each take.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

parentPort?.on('message', async (message: { id: number; command: string; [key: string]: unknown }) => {
  const reply = (value: unknown) => parentPort?.postMessage({ id: message.id, value });
  switch (message.command) {
    case 'connect': {
      const { urls, first, count, rooms } = message as unknown as {
        urls: string[];
        first: number;
        count: number;
        rooms: boolean;
      };
      return reply(await population.connect(urls, count, { rooms, first }));
    }
    case 'received':
      return reply(population.received);
    case 'take': {
      const { from, to } = message as unknown as { from: number; to: number };
      const loopP99Ms = Math.round(loopDelay.percentile(99) / 1e6);
      loopDelay.reset();
      return reply({ latencies: population.takeLatencies(), ...population.tally(from, to), loopP99Ms });
    }
    default:
      population.close();
      return reply(null);
  }
});
