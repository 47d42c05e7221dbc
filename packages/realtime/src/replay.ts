import type { Redis } from 'ioredis';
import {
  type BroadcastData,
  compareIds,
  decodeEntry,
  EVENT_PACKET_TYPE,
  isReplayable,
  type StreamEntry,
} from './codec.js';

const PAGE = 1000;

const reaches = (rooms: readonly string[], opts: BroadcastData['opts']) =>
  (opts.rooms.length === 0 || rooms.some((room) => opts.rooms.includes(room))) &&
  !rooms.some((room) => opts.except.includes(room));

/**
 * The events after `offset` that a socket of namespace `nsp` in `rooms` would have received, each with its
 * entry id as its offset, up to the last entry `reader` has delivered: the socket receives the later ones
 * live, once back in its rooms, which must follow with no I/O in between.
 */
export async function missedSince(
  redis: Redis,
  stream: string,
  nsp: string,
  rooms: readonly string[],
  offset: string,
  reader: { readonly delivered: string },
): Promise<unknown[][]> {
  const missed: { id: string; data: unknown[] }[] = [];
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
      if (packet.type === EVENT_PACKET_TYPE && !opts.flags?.volatile && reaches(rooms, opts)) {
        missed.push({ id, data: [...packet.data, id] });
      }
    }
    // Until the replay has caught up with what this server has delivered live, entries may have reached
    // the rooms before this socket is back in them. (An empty page is the stream's end, whatever was
    // delivered: entries deleted by hand are not waited for.)
    if (page.length === 0 || (page.length < PAGE && compareIds(last, reader.delivered) >= 0)) break;
  }
  const delivered = reader.delivered;
  return missed.filter(({ id }) => compareIds(id, delivered) <= 0).map(({ data }) => data);
}
