import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logPrettyField, prettyLine } from '../src/index.js';

function capture(): { sink: Writable; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { sink, text: () => chunks.join('') };
}

describe('pretty logs', () => {
  it('writes one readable line per entry, fields after the message, secrets still redacted', () => {
    const { sink, text } = capture();
    const log = createLogger('gateway', 'info', sink, true);
    log.child({ module: 'socket' }).warn({ code: 'invalid_token', token: 'eyJ.secret.sig' }, 'handshake refused');
    const output = text();
    expect(output).not.toMatch(/^\{/);
    expect(output).toMatch(/WARN.*\(gateway\).*handshake refused/);
    expect(output).toContain('code: "invalid_token"');
    expect(output).not.toContain('eyJ.secret.sig');
  });

  it("renders another process's JSON lines the same way, and passes other text on as it is", () => {
    const render = prettyLine(false);
    const line = JSON.stringify({ level: 30, time: 0, name: 'worker', msg: 'worker ready', concurrency: 48 });
    expect(render(line)).toMatch(/INFO.*\(worker\).*worker ready/);
    expect(render(line)).toContain('concurrency: 48');
    expect(render('not json')).toBe('not json');
    expect(render('{ broken')).toBe('{ broken');
  });
});

describe('LOG_PRETTY', () => {
  it('follows whether standard output is a terminal when unset, and takes true or false', () => {
    expect(logPrettyField(undefined)).toBe(process.stdout.isTTY === true);
    expect(logPrettyField('true')).toBe(true);
    expect(logPrettyField('false')).toBe(false);
    expect(() => logPrettyField('yes')).toThrow('must be true or false');
  });
});
