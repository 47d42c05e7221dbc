import { ClientEvent, ROOM_UPDATE_EVENTS, ServerEvent } from '@care-chat/contract';
import type { Broadcast } from '@care-chat/realtime';
import { Counter, Histogram, type Registry } from 'prom-client';

/** How a client event ended: answered `status: 1` or `0`, a handler that threw, or refused before it ran. */
export type EventOutcome = 'ok' | 'refused' | 'error' | 'rate_limited' | 'busy';

/** Latencies of a realtime tier: from milliseconds (a local answer) to tens of seconds (a backlog). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// Label values come from these lists only, so no client can grow the number of series.
const CLIENT_EVENTS = new Set<string>(Object.values(ClientEvent));
const SERVER_EVENTS = new Set<string>([...Object.values(ServerEvent), ...ROOM_UPDATE_EVENTS]);
const labelOf = (event: unknown, known: ReadonlySet<string>) =>
  typeof event === 'string' && known.has(event) ? event : 'other';

/**
 * Every metric a gateway keeps, in the names an operator of Socket.IO and of webhooks looks for. Made once
 * per process, before the plugins that count, and read by `/metrics`.
 */
export function gatewayMetrics(registry: Registry) {
  const registers = [registry];
  const events = new Counter({
    name: 'socketio_events_total',
    help: 'Client events received, by event and outcome (rate_limited and busy: refused before the handler)',
    labelNames: ['event', 'outcome'],
    registers,
  });
  const eventSeconds = new Histogram({
    name: 'socketio_event_duration_seconds',
    help: 'Time from a client event to its answer, validation and handler included, by event',
    labelNames: ['event'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const delivery = new Histogram({
    name: 'gateway_webhook_to_socket_seconds',
    help: 'Time from the webhook that caused a broadcast to its fan-out to this node’s sockets, by event',
    labelNames: ['event'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  return {
    webhooks: new Counter({
      name: 'gateway_webhooks_total',
      help: 'WhatsApp webhook deliveries, by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    webhookSeconds: new Histogram({
      name: 'gateway_webhook_duration_seconds',
      help: 'Time to answer a WhatsApp webhook (signature, parsing, queueing), by outcome',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    jobsQueued: new Counter({ name: 'gateway_jobs_queued_total', help: 'Inbound jobs queued', registers }),
    connectErrors: new Counter({
      name: 'socketio_connect_errors_total',
      help: 'Refused Socket.IO handshakes, by code (the `data.code` of connect_error, or the refusal)',
      labelNames: ['code'],
      registers,
    }),
    recoveries: new Counter({
      name: 'socketio_recoveries_total',
      help: 'Reconnections that asked for their session back, by outcome (hit: rooms and missed packets back)',
      labelNames: ['outcome'],
      registers,
    }),
    forwarded: new Counter({
      name: 'gateway_forwarded_requests_total',
      help: 'Requests and upgrades of another gateway’s sessions passed to it, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
    /** One client event answered, and how. */
    event(event: string, outcome: EventOutcome, seconds?: number): void {
      const name = labelOf(event, CLIENT_EVENTS);
      events.inc({ event: name, outcome });
      if (seconds !== undefined) eventSeconds.observe({ event: name }, seconds);
    },
    /** The fan-out took a broadcast: how long after its origin (the webhook) its sockets are written. */
    delivered(broadcast: Broadcast): void {
      if (broadcast.originMs === undefined) return;
      const seconds = Math.max(0, (Date.now() - broadcast.originMs) / 1000);
      delivery.observe({ event: labelOf(broadcast.packet.data[0], SERVER_EVENTS) }, seconds);
    },
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
