/**
 * `npm run executives -- add|list|disable|reset-password`: manages who may log in. Migrates the database
 * at DATABASE_URL first. Prints results on stdout, problems on stderr; exits 2 for a bad command line, 1
 * when the database refuses (a taken username, an unknown one). Never prints a password or its hash.
 */
import { bootDatabaseCli } from './database-cli.js';
import { parseCommand, USAGE, UsageError } from './executives-args.js';
import { runCommand } from './executives-commands.js';
import { migrate } from './migrate.js';
import { readPassword } from './read-password.js';

let command: ReturnType<typeof parseCommand>;
let password: string | undefined;
try {
  command = parseCommand(process.argv.slice(2));
  if (command.command === 'add' || command.command === 'reset-password')
    password = await readPassword(command.passwordStdin);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`executives: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}

if (command.command === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// Warnings only: stdout carries the answer (an id, the list) that tooling reads.
const { log, pool } = bootDatabaseCli('executives', 'warn');
try {
  await migrate(pool, log);
  const outcome = await runCommand(pool, command, password);
  if (outcome.ok) {
    if (outcome.output !== '') process.stdout.write(`${outcome.output}\n`);
  } else {
    process.stderr.write(`executives: ${outcome.problem}\n`);
    process.exitCode = 1;
  }
} finally {
  await pool.end();
}
