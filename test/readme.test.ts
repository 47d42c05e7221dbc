import { readFileSync } from 'node:fs';
import { repoRoot } from '@care-chat/testkit';
import { expect, it } from 'vitest';
// Repository-level checks read the apps as built (`npm test` builds first).
import { DEV_STACK_VARIABLES } from '../apps/devstack/dist/env.js';
import { GATEWAY_VARIABLES } from '../apps/gateway/dist/env.js';
import { WORKER_VARIABLES } from '../apps/worker/dist/env.js';

const readme = readFileSync(`${repoRoot}README.md`, 'utf8');
/** What `docker compose` takes from the environment: its `${NAME:-default}`s. */
const COMPOSE_VARIABLES = [...readFileSync(`${repoRoot}docker-compose.yml`, 'utf8').matchAll(/\$\{([A-Z_]+):-/g)].map(
  (match) => match[1],
);
const section = readme.slice(readme.indexOf('## Configure it'), readme.indexOf('## Authentication'));
/** The variables named in the first column of the README's configuration table. */
const documented = new Set(
  section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z_]+)`/g)].map((match) => match[1])),
);

it("the README's configuration table names every variable the apps read, and no other", () => {
  const read = new Set([...GATEWAY_VARIABLES, ...WORKER_VARIABLES, ...DEV_STACK_VARIABLES, ...COMPOSE_VARIABLES]);
  expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  expect([...documented].filter((name) => name !== undefined && !read.has(name)).sort()).toEqual([]);
});

it('.env.example names every variable of the configuration table, and no other', () => {
  const example = readFileSync(`${repoRoot}.env.example`, 'utf8');
  const named = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
  expect([...documented].filter((name) => name !== undefined && !named.has(name)).sort()).toEqual([]);
  expect([...named].filter((name) => name !== undefined && !documented.has(name)).sort()).toEqual([]);
});
