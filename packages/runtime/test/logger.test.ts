import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../src/index.js';

describe('redactUrl', () => {
  it('hides tokens and verify tokens in query strings', () => {
    expect(redactUrl('/ws/?EIO=4&token=eyJ.abc.def&transport=websocket')).toBe(
      '/ws/?EIO=4&token=[redacted]&transport=websocket',
    );
    expect(redactUrl('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1')).toBe(
      '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=[redacted]',
    );
    expect(redactUrl('/api/health')).toBe('/api/health');
  });
});

describe('createLogger', () => {
  it('redacts secrets at every level, request URLs included', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('test', 'trace', sink);
    const secret = 'eyJhbGciOiJIUzI1NiJ9.secret.sig';
    log.trace({ token: secret }, 'trace');
    log
      .child({ module: 'x' })
      .debug({ auth: { token: secret }, headers: { authorization: `Bearer ${secret}` } }, 'debug');
    log.info({ req: { method: 'GET', url: `/ws/?token=${secret}` } }, 'info');
    log.error({ secret, password: secret }, 'error');
    expect(lines).toHaveLength(4);
    expect(lines.join('')).not.toContain(secret);
    expect(lines.join('')).toContain('[redacted]');
  });
});
