import type { Row } from './report.js';

/** A figure of a scenario's summary and the bound this machine should meet (issue 5). */
interface Target {
  scenario: string;
  measure: string;
  column: string;
  bound: number;
  /** `max`: the figure must not exceed the bound; `min`: it must reach it. */
  kind: 'max' | 'min';
}

export const TARGETS: readonly Target[] = [
  { scenario: 'realistic', measure: 'p99 end to end (ms)', column: 'p99_ms', bound: 25, kind: 'max' },
  { scenario: 'realistic', measure: 'updates lost', column: 'lost', bound: 0, kind: 'max' },
  {
    scenario: 'fanout',
    measure: 'deliveries/s sustained at p99 ≤ 100 ms',
    column: 'best_at_100ms_deliveries_per_s',
    bound: 60_000,
    kind: 'min',
  },
  {
    scenario: 'ingest',
    measure: 'messages/s persisted and broadcast',
    column: 'best_persisted_per_s',
    bound: 1000,
    kind: 'min',
  },
  {
    scenario: 'idle',
    measure: 'gateway memory per connection (KB)',
    column: 'kb_per_connection',
    bound: 15,
    kind: 'max',
  },
];

/** Each target of the scenarios in `summaries`, the figure measured, whether it is met and by how much not. */
export function scoreTargets(summaries: Record<string, Row>): Row[] {
  return TARGETS.filter(({ scenario }) => summaries[scenario] !== undefined).map(
    ({ scenario, measure, column, bound, kind }) => {
      const measured = Number(summaries[scenario]?.[column] ?? Number.NaN);
      const met = kind === 'max' ? measured <= bound : measured >= bound;
      const gap = bound === 0 ? measured - bound : ((measured - bound) / bound) * 100;
      return {
        scenario,
        measure,
        target: `${kind === 'max' ? '≤' : '≥'} ${bound}`,
        measured,
        met: met ? 'yes' : 'no',
        off_by: met ? '' : bound === 0 ? String(gap) : `${gap > 0 ? '+' : ''}${gap.toFixed(0)}%`,
      };
    },
  );
}
