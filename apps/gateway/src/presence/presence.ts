import {
  type AssignmentJob,
  DASHBOARD_ROOM,
  dutyJobOptions,
  type Executive,
  type ExecutiveStatus,
  type OnlineExecutive,
  ServerEvent,
} from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type { Queue } from 'bullmq';
import type { GatewayServer, GatewaySocket } from '../socket/types.js';
import type { PresenceStore } from './presence-store.js';

export interface PresenceTiming {
  /** How long an executive with no socket left stays online. */
  graceMs: number;
  /** How long a gateway's sockets count after its last heartbeat: a killed gateway's, no longer. */
  leaseMs: number;
}

/** What the dashboard lists of an executive: the token's name (the login puts the executive's there). */
export const onlineExecutiveOf = (executive: Executive): OnlineExecutive => ({
  executive_id: executive.id,
  name: executive.name ?? executive.id,
  customer_types: [...executive.customerTypes],
});

/**
 * Presence on this gateway: its sockets counted per executive, the executives' choices, and every change
 * of who is online told to every dashboard (`executive_status`) and to the workers, who assign chats to an
 * executive who came online and hand on those of one who went offline.
 */
export class Presence {
  readonly #sockets = new Map<string, number>();
  #io: GatewayServer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #beat: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PresenceStore,
    private readonly assignments: Queue<AssignmentJob>,
    private readonly timing: PresenceTiming,
    private readonly log: Log,
  ) {}

  /** Renews this node's lease and sweeps for executives gone, a few times per lease. */
  start(io: GatewayServer): void {
    this.#io = io;
    const beat = () => {
      this.#beat = this.#heartbeat().catch((err: unknown) => this.log.warn({ err }, 'presence heartbeat failed'));
    };
    beat();
    this.#timer = setInterval(beat, Math.max(50, Math.floor(this.timing.leaseMs / 3)));
  }

  async #heartbeat(): Promise<void> {
    await this.store.heartbeat(this.timing.leaseMs, this.#sockets);
    for (const gone of await this.store.sweep(this.timing.graceMs)) await this.#changed(gone, 'OFFLINE', 0);
  }

  /**
   * A new socket: counted, its executive back online if they chose to be, and then the socket gets one
   * `executive_status` per executive online (the dashboard builds its online list from these alone).
   */
  track(socket: GatewaySocket): void {
    const executive = onlineExecutiveOf(socket.data.executive);
    const id = executive.executive_id;
    this.#sockets.set(id, (this.#sockets.get(id) ?? 0) + 1);
    const connected = this.store
      .connect(executive, this.timing.leaseMs)
      .then(async (back) => {
        if (back) await this.#changed(executive, 'ONLINE', 0);
        for (const each of await this.store.online()) {
          socket.emit(ServerEvent.ExecutiveStatus, { ...each, status: 'ONLINE' });
        }
      })
      .catch((err: unknown) => this.log.warn({ err, executive: id }, 'presence of a new socket not recorded'));
    socket.once('disconnect', () => {
      const left = (this.#sockets.get(id) ?? 1) - 1;
      if (left > 0) this.#sockets.set(id, left);
      else this.#sockets.delete(id);
      // After the connect, or the count it decrements would come back.
      void connected
        .then(() => this.store.disconnect(id))
        .catch((err: unknown) => this.log.warn({ err, executive: id }, 'presence of a socket gone not recorded'));
    });
  }

  /**
   * The executive's own choice. Going offline by choice hands their chats on after the grace period, so a
   * click back online in time keeps them.
   */
  async choose(executive: Executive, status: ExecutiveStatus): Promise<void> {
    const online = onlineExecutiveOf(executive);
    if (await this.store.choose(online, status)) await this.#changed(online, status, this.timing.graceMs);
  }

  online(): Promise<OnlineExecutive[]> {
    return this.store.online();
  }

  async #changed(executive: OnlineExecutive, status: ExecutiveStatus, handOnAfterMs: number): Promise<void> {
    this.#io?.to(DASHBOARD_ROOM).emit(ServerEvent.ExecutiveStatus, { ...executive, status });
    const job: AssignmentJob = {
      kind: status === 'ONLINE' ? 'online' : 'offline',
      executive_id: executive.executive_id,
    };
    await this.assignments.add(job.kind, job, { ...dutyJobOptions, delay: status === 'ONLINE' ? 0 : handOnAfterMs });
    this.log.info({ executive: executive.executive_id, status }, 'executive presence changed');
  }

  /** This node's sockets count no more: their executives are offline after the grace period unless they reconnect elsewhere. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#beat;
    await this.store.leave().catch(() => undefined);
  }
}
