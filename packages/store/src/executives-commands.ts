import type { Queryable } from './db.js';
import {
  addExecutive,
  disableExecutive,
  type ExecutiveListing,
  listExecutives,
  normalizeUsername,
  resetPassword,
  setCapacity,
} from './executives.js';
import type { Command } from './executives-args.js';

export type Outcome = { ok: true; output: string } | { ok: false; problem: string };

const COLUMNS = ['id', 'username', 'name', 'agent_number', 'role', 'customer_types', 'status'] as const;

function cells(executive: ExecutiveListing): string[] {
  const status = executive.disabledAt === null ? 'active' : `disabled ${executive.disabledAt.toISOString()}`;
  return [
    executive.id,
    executive.username,
    executive.name,
    executive.agentNumber,
    executive.role,
    executive.customerTypes.join(','),
    status,
  ];
}

/** One line per executive under a header, columns aligned. */
export function formatTable(executives: readonly ExecutiveListing[]): string {
  const rows = [[...COLUMNS], ...executives.map(cells)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const unknown = (username: string): Outcome => ({ ok: false, problem: `no executive has the username "${username}"` });

/** Runs a parsed command; `password` is there for add and reset-password. */
export async function runCommand(db: Queryable, command: Command, password = ''): Promise<Outcome> {
  switch (command.command) {
    case 'list':
      return { ok: true, output: formatTable(await listExecutives(db)) };
    case 'add': {
      const id = await addExecutive(db, { ...command, password });
      if (id === undefined)
        return {
          ok: false,
          problem: `the username "${normalizeUsername(command.username)}" is taken (usernames ignore case)`,
        };
      return { ok: true, output: id };
    }
    case 'disable':
      return (await disableExecutive(db, command.username)) ? { ok: true, output: '' } : unknown(command.username);
    case 'capacity':
      return (await setCapacity(db, command.username, command.maxOpenChats))
        ? { ok: true, output: '' }
        : unknown(command.username);
    case 'reset-password':
      return (await resetPassword(db, command.username, password))
        ? { ok: true, output: '' }
        : unknown(command.username);
  }
}
