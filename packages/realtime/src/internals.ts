import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { transports } from 'engine.io';
import { Adapter } from 'socket.io-adapter';

/**
 * The adapter writes pre-encoded WebSocket frames, several back to back, straight to each socket's engine,
 * through members that the libraries do not publish. Those versions are pinned with `~`; this checks, when
 * a namespace gets its adapter, that each member is still there, so an upgrade that removed one stops the
 * boot with its name instead of sending sockets empty or garbled frames.
 */
export function internalProblems(nsp: unknown): string[] {
  const problems: string[] = [];
  const namespace = nsp as {
    _preConnectSockets?: unknown;
    server?: { opts?: { perMessageDeflate?: unknown } };
  };
  if (!(namespace._preConnectSockets instanceof Map)) {
    problems.push('socket.io: Namespace#_preConnectSockets (the sockets a recovered session is restored to)');
  }
  if (typeof socketIoClient()?.prototype.writeToEngine !== 'function') {
    problems.push('socket.io: Client#writeToEngine (writes encoded packets to a connection)');
  }
  const adapter = Adapter.prototype as unknown as Record<string, unknown>;
  if (typeof adapter._encode !== 'function' || typeof adapter.apply !== 'function') {
    problems.push('socket.io-adapter: Adapter#_encode and #apply (encode once, select recipients)');
  }
  const websocket = (transports as unknown as Record<string, { prototype: Record<string, unknown> }>).websocket;
  if (typeof websocket?.prototype._canSendPreEncodedFrame !== 'function') {
    problems.push('engine.io: the WebSocket transport no longer sends pre-encoded frames (_canSendPreEncodedFrame)');
  }
  if (typeof required('ws').Sender?.prototype.sendFrame !== 'function') {
    problems.push('ws: Sender#sendFrame (writes a pre-encoded frame)');
  }
  if (namespace.server?.opts?.perMessageDeflate) {
    problems.push(
      'perMessageDeflate must be off: a compressing transport encodes packets again and would send merged frames empty',
    );
  }
  return problems;
}

/** Throws naming every problem `internalProblems` finds. */
export function assertInternals(nsp: unknown): void {
  const problems = internalProblems(nsp);
  if (problems.length > 0) {
    throw new Error(`@care-chat/realtime cannot run here:\n  - ${problems.join('\n  - ')}`);
  }
}

type Classes = Record<string, { prototype: Record<string, unknown> } | undefined>;
const required = createRequire(import.meta.url) as (id: string) => Classes;

// socket.io does not export its Client; its file sits beside the entry point its `exports` do publish.
function socketIoClient() {
  const entry = createRequire(import.meta.url).resolve('socket.io');
  return required(join(dirname(entry), 'client.js')).Client;
}
