import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { repoRoot } from './process.js';

/** Every bench and chaos run writes here; git ignores it, so a trial run leaves `git status` clean. */
export const runsDir = `${repoRoot}bench/runs`;
/** The committed, dated figures the README quotes: rewritten only by a run given `--save`. */
const resultsDir = `${repoRoot}bench/results`;

/** Where a run's report `name` goes: bench/runs/, and bench/results/ too when the run is saved. */
export const reportPaths = (name: string, save: boolean): string[] =>
  (save ? [runsDir, resultsDir] : [runsDir]).map((dir) => `${dir}/${name}`);

/** Writes a run's report `name` to each of its `reportPaths`. */
export function writeReportFile(name: string, text: string, save: boolean): void {
  for (const path of reportPaths(name, save)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}
