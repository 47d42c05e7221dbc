import { describe, expect, it } from 'vitest';
import { Latencies } from '../src/latency.js';
import { Population } from '../src/population.js';

describe('Latencies', () => {
  it('gives nearest-rank percentiles and the maximum', () => {
    const latencies = new Latencies();
    for (let ms = 1; ms <= 100; ms++) latencies.add(ms);
    expect(latencies.summary()).toEqual({ p50: 51, p90: 91, p99: 100, max: 100 });
    expect(new Latencies().summary()).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });
});

describe('Population tally', () => {
  it("owes each message to every client of its type's room, and counts what is missing or repeated", () => {
    const population = new Population(8);
    // One client per customer type, as connect() spreads them; counting needs no sockets.
    for (let type = 0; type < 4; type++) population.assign(type, type);
    population.record(0, 0);
    population.record(1, 1);
    population.record(1, 1);
    expect(population.owed(0, 4)).toBe(4);
    expect(population.tally(0, 4)).toEqual({ expected: 4, delivered: 2, lost: 2, duplicated: 1 });
    expect(population.received).toBe(2);
  });
});
