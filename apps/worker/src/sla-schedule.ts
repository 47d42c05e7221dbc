import { dutyJobOptions, type Message, QueueName, redisKeys, type SlaJob, slaJobId } from '@care-chat/contract';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Schedules the SLA checks of a customer message. */
export interface SlaSchedule {
  schedule(message: Message): Promise<void>;
  close(): Promise<void>;
}

/**
 * One delayed job per message and threshold, due that many minutes after the customer wrote (at once for
 * a message that waited longer in the queue). The job id is the message's and threshold's: scheduling again
 * (a retried inbound job) adds nothing, and the job outlives the worker that scheduled it.
 */
export function slaSchedule(connection: Redis, keyPrefix: string, minutes: readonly number[]): SlaSchedule {
  const queue = new Queue<SlaJob>(QueueName.Sla, { connection, prefix: redisKeys(keyPrefix).queues });
  return {
    async schedule(message) {
      const written = Date.parse(message.datetime);
      await queue.addBulk(
        minutes.map((each) => {
          const data = { chat_id: message.chat_id, message_id: message.message_id, minutes: each };
          const delay = Math.max(0, written + each * 60_000 - Date.now());
          return { name: 'sla', data, opts: { ...dutyJobOptions, jobId: slaJobId(data), delay } };
        }),
      );
    },
    close: () => queue.close(),
  };
}
