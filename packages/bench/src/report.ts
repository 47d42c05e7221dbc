import { mkdirSync, writeFileSync } from 'node:fs';
import { repoRoot } from '@care-chat/testkit/tools';

export type Row = Record<string, string | number | boolean>;

export const resultsDir = `${repoRoot}bench/results`;

/** Writes `bench/results/<scenario>.json` and `.md` (a table per section) and prints the tables. */
export function writeReport(scenario: string, summary: Row, sections: Record<string, Row[]>): void {
  const dir = resultsDir;
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(`${dir}/${scenario}.json`, `${JSON.stringify({ scenario, at, summary, sections }, null, 2)}\n`);
  const table = (rows: Row[]) => {
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    return [
      `| ${columns.join(' | ')} |`,
      `|${columns.map(() => '---').join('|')}|`,
      ...rows.map((row) => `| ${columns.map((column) => String(row[column] ?? '')).join(' | ')} |`),
    ].join('\n');
  };
  const markdown = [
    `# Benchmark: ${scenario}`,
    '',
    `Run ${at} on this machine (${process.arch}, Node ${process.version}), everything on it, load generator included.`,
    '',
    table([summary]),
    ...Object.entries(sections).flatMap(([title, rows]) => ['', `## ${title}`, '', table(rows)]),
    '',
  ].join('\n');
  writeFileSync(`${dir}/${scenario}.md`, markdown);
  console.log(`\n${markdown}`);
}
