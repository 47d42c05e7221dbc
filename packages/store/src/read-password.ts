import { text } from 'node:stream/consumers';
import { UsageError } from './executives-args.js';

const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;

function checked(password: string, source: string): string {
  if (password.length < MIN_LENGTH)
    throw new UsageError(`${source}: the password must have at least ${MIN_LENGTH} characters`);
  if (password.length > MAX_LENGTH)
    throw new UsageError(`${source}: the password must have at most ${MAX_LENGTH} characters`);
  return password;
}

/** Types one line on the terminal without echoing it; Ctrl-C aborts. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (done: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      done();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(typed));
        if (char === '\u0003' || char === '\u0004') return finish(() => reject(new UsageError('cancelled')));
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The new password: all of standard input with `--password-stdin` (one trailing newline dropped, as `echo`
 * adds it), else typed twice on the terminal. Without a terminal and without the flag, refused.
 */
export async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return checked((await text(process.stdin)).replace(/\r?\n$/, ''), '--password-stdin');
  if (!process.stdin.isTTY) {
    throw new UsageError('standard input is not a terminal: give the password with --password-stdin');
  }
  const password = checked(await promptHidden('Password: '), 'password');
  if ((await promptHidden('Password again: ')) !== password) throw new UsageError('the two passwords differ');
  return password;
}
