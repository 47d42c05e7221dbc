import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/** The packages whose private members the adapter uses (internals.ts): pinned to a minor version. */
const PINNED = ['socket.io', 'socket.io-adapter', 'engine.io', 'ws'];

const manifestPath = fileURLToPath(new URL('../package.json', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const dependencies = readJson(manifestPath).dependencies as Record<string, string>;

/** The version installed where this package resolves `name`: the package.json above its entry point. */
function installedVersion(name: string): string {
  let dir = dirname(createRequire(manifestPath).resolve(name));
  for (;;) {
    const path = join(dir, 'package.json');
    const manifest = existsSync(path) ? readJson(path) : {};
    if (manifest.name === name) return String(manifest.version);
    if (dirname(dir) === dir) throw new Error(`no package.json of ${name}`);
    dir = dirname(dir);
  }
}

/** `~x.y.z`: the same major and minor, a patch from z up. */
function satisfiesTilde(version: string, range: string): boolean {
  const [major, minor, patch] = range.slice(1).split('.').map(Number);
  const [vMajor, vMinor, vPatch = Number.NaN] = version.split(/[.-]/).map(Number);
  return vMajor === major && vMinor === minor && vPatch >= (patch ?? 0);
}

it.each(PINNED)('%s is pinned with ~ and installed within that range', (name) => {
  const range = dependencies[name] ?? '';
  expect(range).toMatch(/^~\d+\.\d+\.\d+$/);
  const version = installedVersion(name);
  expect(satisfiesTilde(version, range), `${name} ${version} is not within ${range}`).toBe(true);
});
