import type { Redis } from 'ioredis';
import {
  type BroadcastData,
  compareIds,
  decodeEntry,
  EVENT_PACKET_TYPE,
  isReplayable,
  type StreamEntry,
} from './codec.js';
import { reaches } from './recovering.js';

const PAGE = 1000;

/** A replayed entry: its broadcast, and its id to carry as its offset. */
export interface Missed {
  id: string;
  data: BroadcastData;
}

/**
 * Whether the stream still holds everything after `offset`: the entry at it is there, or it is older than
 * the retention, past which trimming drops entries (never before, so what followed it is there). An entry
 * younger than that and gone was lost with Redis's data (a restart without persistence, a flush): what
 * followed it may be gone too, and a replay would leave a gap.
 */
export async function isWhole(redis: Redis, stream: string, offset: string, retentionMs: number): Promise<boolean> {
  const [atOffset] = (await redis.xrange(stream, offset, offset)) as StreamEntry[];
  return atOffset !== undefined || Number(offset.split('-')[0]) < Date.now() - retentionMs;
}

/**
 * The events after `offset` that a socket of namespace `nsp` in `rooms` would have received, up to the last
 * entry `reader` has delivered: the socket receives the later ones live, which must be arranged with no
 * I/O in between.
 */
export async function missedSince(
  redis: Redis,
  stream: string,
  nsp: string,
  rooms: readonly string[],
  offset: string,
  reader: { readonly delivered: string },
): Promise<Missed[]> {
  const missed: Missed[] = [];
  const inRooms = new Set(rooms);
  // Exclusive start: the client has the entry at its offset. If that entry was trimmed, replay starts
  // at the oldest kept, which is still older than anything the client can have missed (see retention).
  let last = offset;
  for (;;) {
    const page = (await redis.xrange(stream, `(${last}`, '+', 'COUNT', PAGE)) as StreamEntry[];
    for (const [id, fields] of page) {
      last = id;
      const message = decodeEntry(fields);
      if (message === null || message.nsp !== nsp || !isReplayable(message)) continue;
      const { packet, opts } = message.data;
      if (packet.type === EVENT_PACKET_TYPE && !opts.flags?.volatile && reaches(inRooms, opts)) {
        missed.push({ id, data: message.data });
      }
    }
    // Until the replay has caught up with what this server has delivered live, entries may have reached
    // the rooms before this socket is back in them. (An empty page is the stream's end, whatever was
    // delivered: entries deleted by hand are not waited for.)
    if (page.length === 0 || (page.length < PAGE && compareIds(last, reader.delivered) >= 0)) break;
  }
  const delivered = reader.delivered;
  return missed.filter(({ id }) => compareIds(id, delivered) <= 0);
}
