import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { repoRoot } from '../src/process.js';
import { reportPaths } from '../src/report-files.js';

/** Whether git ignores `path` (`git check-ignore` exits 0 only then). */
const ignored = (path: string) => spawnSync('git', ['check-ignore', '--quiet', path], { cwd: repoRoot }).status === 0;

it('a run writes its report only where git does not look', () => {
  const paths = reportPaths('realistic.md', false);
  expect(paths).toEqual([`${repoRoot}bench/runs/realistic.md`]);
  expect(paths.every(ignored)).toBe(true);
});

it('a saved run also rewrites the committed results', () => {
  const paths = reportPaths('chaos.json', true);
  expect(paths).toEqual([`${repoRoot}bench/runs/chaos.json`, `${repoRoot}bench/results/chaos.json`]);
  expect(paths.map(ignored)).toEqual([true, false]);
});
