import { parseArgs } from 'node:util';
import {
  CUSTOMER_TYPES,
  type CustomerType,
  EXECUTIVE_ROLES,
  type ExecutiveRole,
  isCustomerType,
} from '@care-chat/contract';

export const USAGE = `usage: npm run executives -- <command>
  add --username <u> --name <n> --agent-number <digits> [--role executive|admin] [--types Partner,Customer] [--password-stdin]
  list
  disable --username <u>
  capacity --username <u> --max-open-chats <n>|none
  reset-password --username <u> [--password-stdin]
Without --password-stdin the password is asked for on the terminal.`;

/** A mistake in the command line: exit 2 with this message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Command =
  | {
      command: 'add';
      username: string;
      name: string;
      agentNumber: string;
      role: ExecutiveRole;
      customerTypes: CustomerType[];
      passwordStdin: boolean;
    }
  | { command: 'list' }
  | { command: 'disable'; username: string }
  /** null: no limit. */
  | { command: 'capacity'; username: string; maxOpenChats: number | null }
  | { command: 'reset-password'; username: string; passwordStdin: boolean };

const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const OPTIONS = {
  add: { username: text, name: text, 'agent-number': text, role: text, types: text, 'password-stdin': flag },
  list: {},
  disable: { username: text },
  capacity: { username: text, 'max-open-chats': text },
  'reset-password': { username: text, 'password-stdin': flag },
} as const;

type Values = Record<string, string | boolean | undefined>;

function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

function username(values: Values): string {
  const value = required(values, 'username');
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(value)) {
    throw new UsageError('--username must be 1 to 64 letters, digits or . _ @ -');
  }
  return value;
}

function role(raw: string | boolean | undefined): ExecutiveRole {
  if (raw === undefined) return 'executive';
  const value = EXECUTIVE_ROLES.find((known) => known === raw);
  if (value === undefined) throw new UsageError(`--role must be one of: ${EXECUTIVE_ROLES.join(', ')}`);
  return value;
}

function customerTypes(raw: string | boolean | undefined): CustomerType[] {
  if (raw === undefined) return [...CUSTOMER_TYPES];
  const given = String(raw)
    .split(',')
    .map((type) => type.trim());
  const types = given.filter(isCustomerType);
  if (types.length !== given.length || given.length === 0) {
    throw new UsageError(`--types must be a comma-separated list of: ${CUSTOMER_TYPES.join(', ')}`);
  }
  if (new Set(types).size !== types.length) throw new UsageError('--types names a customer type twice');
  return types;
}

/** Reads the command line (without node and the script); throws a UsageError naming the bad flag. */
export function parseCommand(argv: readonly string[]): Command | { command: 'help' } {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { command: 'help' };
  if (!Object.hasOwn(OPTIONS, command)) throw new UsageError(`unknown command "${command}"`);
  const name = command as keyof typeof OPTIONS;
  let values: Values;
  try {
    values = parseArgs({ args: [...rest], options: OPTIONS[name], strict: true, allowPositionals: false })
      .values as Values;
  } catch (error) {
    // parseArgs names the flag in its first sentence; the rest is advice about `--` that does not apply.
    throw new UsageError((error as Error).message.split('. ')[0] ?? String(error));
  }
  switch (name) {
    case 'list':
      return { command: 'list' };
    case 'disable':
      return { command: 'disable', username: username(values) };
    case 'capacity': {
      const raw = required(values, 'max-open-chats');
      if (raw !== 'none' && !/^[1-9]\d{0,5}$/.test(raw)) {
        throw new UsageError('--max-open-chats must be a number from 1 to 999999, or none');
      }
      return { command: 'capacity', username: username(values), maxOpenChats: raw === 'none' ? null : Number(raw) };
    }
    case 'reset-password':
      return {
        command: 'reset-password',
        username: username(values),
        passwordStdin: values['password-stdin'] === true,
      };
    case 'add': {
      const agentNumber = required(values, 'agent-number');
      if (!/^\d{6,15}$/.test(agentNumber)) throw new UsageError('--agent-number must be 6 to 15 digits');
      const fullName = required(values, 'name');
      if (fullName.length > 200) throw new UsageError('--name must be at most 200 characters');
      return {
        command: 'add',
        username: username(values),
        name: fullName,
        agentNumber,
        role: role(values.role),
        customerTypes: customerTypes(values.types),
        passwordStdin: values['password-stdin'] === true,
      };
    }
  }
}
