import { readdirSync, readFileSync } from 'node:fs';
import { repoRoot } from './process.js';

// Read from the source tree, so the package need not ship them in dist.
const fixturesDir = `${repoRoot}packages/testkit/fixtures/`;

/** A fixture's text, as `readFixture('whatsapp/batch.json')`: raw, because a signature covers the bytes. */
export const readFixture = (path: string): string => readFileSync(`${fixturesDir}${path}`, 'utf8');

/** The names of the JSON fixtures in a folder: `fixtureNames('whatsapp')` gives `['batch.json', …]`. */
export const fixtureNames = (folder: string): string[] =>
  readdirSync(`${fixturesDir}${folder}`).filter((name) => name.endsWith('.json'));
