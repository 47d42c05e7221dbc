import { createInterface } from 'node:readline';
import { prettyLine } from '@care-chat/runtime';
import type { AppProcess } from '@care-chat/testkit/tools';

/**
 * Shows what the processes of the stack write, each line under its process's name: readable where this
 * is a terminal (or LOG_PRETTY=true), the JSON lines unchanged elsewhere, for a log collector or a test.
 */
export function processOutput(pretty: boolean): (name: string, process: AppProcess) => void {
  const render = pretty ? prettyLine(process.stdout.isTTY === true) : (line: string) => line;
  const show = (name: string, line: string) =>
    process.stdout.write(pretty ? `${name.padEnd(9)} ${render(line)}\n` : `${line}\n`);
  return (name, child) => {
    // What it wrote before it was ready, then the rest as it comes.
    for (const line of child.output) show(name, line);
    for (const stream of [child.child.stdout, child.child.stderr]) {
      if (stream !== null) createInterface({ input: stream }).on('line', (line) => show(name, line));
    }
  };
}
