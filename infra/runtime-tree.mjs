// Lays out, in an empty folder, only what the named workspaces need to run: their package.json files, what
// each publishes (`files`, else `dist`), every workspace they depend on, and a root package.json listing just
// those workspaces, so that `npm install --omit=dev` there installs their production dependencies and nothing
// of the test kit, the benchmarks or the tests. Versions stay the lock file's: it is copied alongside.
// Usage: node infra/runtime-tree.mjs <out-dir> <workspace-name>...
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [out, ...entries] = process.argv.slice(2);
if (!out || entries.length === 0) {
  console.error('usage: node infra/runtime-tree.mjs <out-dir> <workspace-name>...');
  process.exit(2);
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const root = readJson('package.json');

const dirsOf = (pattern) =>
  pattern.endsWith('/*')
    ? readdirSync(pattern.slice(0, -2)).map((name) => join(pattern.slice(0, -2), name))
    : [pattern];
const dirByName = new Map(
  root.workspaces
    .flatMap(dirsOf)
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => [readJson(join(dir, 'package.json')).name, dir]),
);

const needed = new Set();
const visit = (name) => {
  if (needed.has(name)) return;
  const dir = dirByName.get(name);
  if (dir === undefined) throw new Error(`${name} is not a workspace of ${root.name}`);
  needed.add(name);
  for (const dep of Object.keys(readJson(join(dir, 'package.json')).dependencies ?? {})) {
    if (dirByName.has(dep)) visit(dep);
  }
};
entries.forEach(visit);

const dirs = [...needed].map((name) => dirByName.get(name)).sort();
for (const dir of dirs) {
  const manifest = readJson(join(dir, 'package.json'));
  mkdirSync(join(out, dir), { recursive: true });
  cpSync(join(dir, 'package.json'), join(out, dir, 'package.json'));
  for (const item of manifest.files ?? ['dist']) {
    if (!existsSync(join(dir, item))) throw new Error(`${dir}/${item} is missing: build first`);
    cpSync(join(dir, item), join(out, dir, item), { recursive: true });
  }
}
const { devDependencies, scripts, ...rest } = root;
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ ...rest, workspaces: dirs }, null, 2)}\n`);
cpSync('package-lock.json', join(out, 'package-lock.json'));
console.log(`runtime tree in ${out}: ${dirs.join(', ')}`);
