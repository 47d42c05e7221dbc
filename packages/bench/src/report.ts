import { writeReportFile } from '@care-chat/testkit/tools';
import { values } from './options.js';

export type Row = Record<string, string | number | boolean>;

/**
 * Writes `<scenario>.json` and `.md` (a table per section) to bench/runs/, and with `--save` to
 * bench/results/ too, and prints the tables.
 */
export function writeReport(scenario: string, summary: Row, sections: Record<string, Row[]>): void {
  const at = new Date().toISOString();
  writeReportFile(`${scenario}.json`, `${JSON.stringify({ scenario, at, summary, sections }, null, 2)}\n`, values.save);
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
  writeReportFile(`${scenario}.md`, markdown, values.save);
  console.log(`\n${markdown}`);
}
