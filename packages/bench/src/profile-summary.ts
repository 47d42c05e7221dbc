import { readdirSync, readFileSync } from 'node:fs';
import type { Row } from './report.js';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

// Where a process's time goes, by the V8 profiler's own names for what is not JavaScript.
const CATEGORIES = new Map([
  ['(idle)', 'idle'],
  ['(garbage collector)', 'garbage collection'],
  ...['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String'].map(
    (name) => [name, 'socket writes (system calls)'] as const,
  ),
]);

const nameOf = ({ functionName, url, lineNumber }: CpuProfile['nodes'][number]['callFrame']) =>
  url === ''
    ? functionName
    : `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;

const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);

/** Self time (ms) per function and per category of one `.cpuprofile`, and the total. */
function selfTimes(profile: CpuProfile) {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = frames.get(id);
    if (frame === undefined) return;
    total += ms;
    add(byFunction, nameOf(frame), ms);
    add(byCategory, CATEGORIES.get(frame.functionName) ?? 'JavaScript and the rest', ms);
  });
  return { total, byFunction, byCategory };
}

/**
 * The profiles `node --cpu-prof` wrote to `dir`, one per process (`roles` names them by pid): for each,
 * where the time went by category, then the functions with the most self time. The files themselves open
 * as flame graphs in Chrome's DevTools or speedscope.
 */
export function summarizeProfiles(dir: string, roles: ReadonlyMap<number, string>, top = 12): Row[] {
  const rows: Row[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const pid = Number(file.split('.')[3]);
    const process = `${roles.get(pid) ?? 'process'} (pid ${pid})`;
    const { total, byFunction, byCategory } = selfTimes(
      JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as CpuProfile,
    );
    const share = (ms: number) => `${((ms / Math.max(total, 1)) * 100).toFixed(1)}%`;
    for (const [category, ms] of [...byCategory].sort((a, b) => b[1] - a[1])) {
      rows.push({ process, kind: 'category', name: category, self: share(ms) });
    }
    for (const [name, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      rows.push({ process, kind: 'function', name, self: share(ms) });
    }
  }
  return rows;
}
