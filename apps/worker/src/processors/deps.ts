import type { Log } from '@care-chat/runtime';
import type pg from 'pg';
import type { DashboardEmitter } from '../broadcaster.js';
import type { WorkerConfig } from '../env.js';
import type { OnlineExecutives } from '../online-executives.js';
import type { SlaSchedule } from '../sla-schedule.js';
import type { StatsPublisher } from '../stats-publisher.js';

/** What a processor works with; a test passes real ones without a BullMQ Worker. */
export interface ProcessorDeps {
  db: pg.Pool;
  emitter: DashboardEmitter;
  stats: Pick<StatsPublisher, 'changed'>;
  config: Pick<WorkerConfig, 'customerTypeByNumber' | 'defaultCustomerType' | 'mediaUrl'>;
  log: Log;
  /** Who chats may be assigned to. */
  online: OnlineExecutives;
  sla: Pick<SlaSchedule, 'schedule'>;
}

/** About the job's delivery, not its data. */
export interface Attempt {
  /** An earlier attempt started: it may have stored its effect and died before broadcasting it. */
  retried: boolean;
  /**
   * When the gateway queued it, as the webhook came in (ms since the epoch): published with its broadcasts,
   * so the gateways measure the time from webhook to sockets.
   */
  receivedAt?: number;
}
