import type { Queue, Worker } from 'bullmq';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The worker's metrics: the process, and per queue the jobs this process finished (by outcome), how long
 * each ran and how long it waited first; on scrape, BullMQ's own export of every queue's job counts by state
 * (shared by all workers: the queue is in Redis).
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly #queues: Queue[] = [];
  readonly #jobs = new Counter({
    name: 'worker_jobs_total',
    help: 'Jobs this worker finished, by queue and outcome (completed, retried, failed: given up)',
    labelNames: ['queue', 'outcome'],
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'worker_job_duration_seconds',
    help: 'Time a job ran on this worker, by queue',
    labelNames: ['queue'],
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });
  readonly #waiting = new Histogram({
    name: 'worker_job_wait_seconds',
    help: 'Time from a job being queued (or due, when delayed) to this worker starting it, by queue',
    labelNames: ['queue'],
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });

  readonly #whatsApp = new Counter({
    name: 'worker_whatsapp_sends_total',
    help: 'Calls to the WhatsApp Cloud API to send a reply, by outcome (accepted, retry, refused, unknown)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts a send's answer, and hands it on. */
  whatsAppAnswered<T extends { kind: string }>(answer: T): T {
    this.#whatsApp.inc({ outcome: answer.kind });
    return answer;
  }

  /** Counts what `worker` finishes; `queue` is exported with BullMQ's job counts on every scrape. */
  watch(worker: Worker, queue: Queue): void {
    this.#queues.push(queue);
    const name = worker.name;
    worker.on('completed', (job) => {
      this.#jobs.inc({ queue: name, outcome: 'completed' });
      this.#timings(name, job);
    });
    worker.on('failed', (job, err) => {
      const final =
        job === undefined || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      this.#jobs.inc({ queue: name, outcome: final ? 'failed' : 'retried' });
      if (job !== undefined) this.#timings(name, job);
    });
  }

  #timings(queue: string, job: { timestamp: number; processedOn?: number; finishedOn?: number; delay?: number }) {
    if (job.processedOn === undefined) return;
    this.#waiting.observe({ queue }, Math.max(0, job.processedOn - job.timestamp - (job.delay ?? 0)) / 1000);
    if (job.finishedOn !== undefined) this.#duration.observe({ queue }, (job.finishedOn - job.processedOn) / 1000);
  }

  /** Prometheus text: this registry, then BullMQ's export of the watched queues, one family each. */
  async text(): Promise<string> {
    const queues = await Promise.all(this.#queues.map((queue) => queue.exportPrometheusMetrics()));
    return `${await this.registry.metrics()}${mergeFamilies(queues)}\n`;
  }
}

/**
 * BullMQ exports each queue on its own, with its own HELP and TYPE lines; Prometheus wants each metric's
 * lines once, its samples together.
 */
function mergeFamilies(exports: readonly string[]): string {
  const families = new Map<string, { meta: string[]; samples: string[] }>();
  for (const line of exports.flatMap((text) => text.split('\n'))) {
    const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
    const name = meta?.[2] ?? /^[a-zA-Z_:][\w:]*/.exec(line)?.[0];
    if (name === undefined) continue;
    const family = families.get(name) ?? { meta: [], samples: [] };
    families.set(name, family);
    if (meta === null) family.samples.push(line);
    else if (!family.meta.some((seen) => seen.startsWith(`# ${meta[1]} `))) family.meta.push(line);
  }
  return [...families.values()].flatMap(({ meta, samples }) => [...meta, ...samples]).join('\n');
}
