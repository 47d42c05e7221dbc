/** Latency samples in milliseconds, and their percentiles. */
export class Latencies {
  #values: number[] = [];

  add(ms: number): void {
    this.#values.push(ms);
  }

  get count(): number {
    return this.#values.length;
  }

  summary(): { p50: number; p90: number; p99: number; max: number } {
    const sorted = Float64Array.from(this.#values).sort();
    const at = (q: number) =>
      sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
  }
}
