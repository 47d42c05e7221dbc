export { type StreamAdapterOptions, streamAdapter } from './adapter.js';
export {
  type BroadcastData,
  compareIds,
  decodeEntry,
  EMITTER_UID,
  EVENT_PACKET_TYPE,
  encodeEntry,
  entryOrigin,
  isReplayable,
  type StreamEntry,
} from './codec.js';
export {
  BroadcastOperator,
  Emitter,
  type EmitterOptions,
  type EventNames,
  type EventParams,
  type EventsMap,
  type PublishOptions,
} from './emitter.js';
export type { Broadcast, DeliveryObserver } from './fan-out.js';
export { assertInternals, internalProblems } from './internals.js';
export { type RealtimeKeys, realtimeKeys } from './keys.js';
export type { Logger } from './logger.js';
export { DEFAULT_RECOVERY_WINDOW_MS, streamRetentionMs, trimArgs } from './retention.js';
export type { SessionRecord } from './session-store.js';
export type { StreamAdapter } from './stream-adapter.js';
