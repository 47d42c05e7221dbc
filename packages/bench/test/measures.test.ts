import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { targetCredentials } from '../src/credentials.js';
import { Latencies } from '../src/latency.js';
import { Population } from '../src/population.js';
import { summarizeProfiles } from '../src/profile-summary.js';
import { coldAndWarm } from '../src/step.js';
import { scoreTargets } from '../src/targets.js';

describe('Latencies', () => {
  it('gives nearest-rank percentiles and the maximum', () => {
    const latencies = new Latencies();
    for (let ms = 1; ms <= 100; ms++) latencies.add(ms);
    expect(latencies.summary()).toEqual({ p50: 51, p90: 91, p99: 100, max: 100 });
    expect(new Latencies().summary()).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });
});

describe('coldAndWarm', () => {
  it("splits a step's latencies by the message they are of: those sent first, and the rest", () => {
    const samples = { endToEnd: [50, 40, 5, 6, 7, 45], messages: [0, 1, 2, 3, 4, 1] };
    const { cold, warm } = coldAndWarm(samples, 2);
    expect(cold).toEqual({ p50: 45, p90: 50, p99: 50, max: 50 });
    expect(warm).toEqual({ p50: 6, p90: 7, p99: 7, max: 7 });
  });
});

describe('Population tally', () => {
  it("owes each message to every client of its type's room, and counts what is missing or repeated", () => {
    const population = new Population(8, 'unused: nothing connects');
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

describe('scoreTargets', () => {
  it('says which targets are met and by how much the others are missed', () => {
    const rows = scoreTargets({
      realistic: { p99_ms: 20, lost: 2 },
      fanout: { best_at_100ms_deliveries_per_s: 45_000 },
      idle: { kb_per_connection: 15 },
    });
    expect(rows).toEqual([
      { scenario: 'realistic', measure: 'p99 end to end (ms)', target: '≤ 25', measured: 20, met: 'yes', off_by: '' },
      { scenario: 'realistic', measure: 'updates lost', target: '≤ 0', measured: 2, met: 'no', off_by: '2' },
      {
        scenario: 'fanout',
        measure: 'deliveries/s sustained at p99 ≤ 100 ms',
        target: '≥ 60000',
        measured: 45_000,
        met: 'no',
        off_by: '-25%',
      },
      {
        scenario: 'idle',
        measure: 'gateway memory per connection (KB)',
        target: '≤ 15',
        measured: 15,
        met: 'yes',
        off_by: '',
      },
    ]);
  });
});

describe('summarizeProfiles', () => {
  it("splits each process's time into categories and its busiest functions", () => {
    const dir = mkdtempSync(`${tmpdir()}/profiles-`);
    const frame = (id: number, functionName: string, url = '') => ({
      id,
      callFrame: { functionName, url, lineNumber: 9 },
    });
    const profile = {
      nodes: [frame(1, '(idle)'), frame(2, 'writev'), frame(3, 'deliver', 'file:///app/dist/socket/fan-out.js')],
      samples: [1, 2, 2, 3],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    writeFileSync(`${dir}/CPU.20261121.120000.4242.0.001.cpuprofile`, JSON.stringify(profile));
    expect(summarizeProfiles(dir, new Map([[4242, 'gateway 1 of 2']]), 2)).toEqual([
      { process: 'gateway 1 of 2 (pid 4242)', kind: 'category', name: 'socket writes (system calls)', self: '50.0%' },
      { process: 'gateway 1 of 2 (pid 4242)', kind: 'category', name: 'idle', self: '25.0%' },
      { process: 'gateway 1 of 2 (pid 4242)', kind: 'category', name: 'JavaScript and the rest', self: '25.0%' },
      { process: 'gateway 1 of 2 (pid 4242)', kind: 'function', name: 'writev', self: '50.0%' },
      { process: 'gateway 1 of 2 (pid 4242)', kind: 'function', name: '(idle)', self: '25.0%' },
    ]);
  });
});

describe('targetCredentials', () => {
  const numbers = { Partner: '11', Customer: '22', Vendor: '33', SRDP: '44' };

  it("reads a running tier's secrets and numbers from the variables its services read", () => {
    const env = { JWT_SECRET: 'j', WHATSAPP_APP_SECRET: 'a', WHATSAPP_NUMBERS: JSON.stringify(numbers) };
    expect(targetCredentials(env)).toEqual({ jwtSecret: 'j', appSecret: 'a', numbers });
  });

  it('names every missing or incomplete variable at once', () => {
    const env = { WHATSAPP_NUMBERS: JSON.stringify({ Partner: '11' }) };
    expect(() => targetCredentials(env)).toThrow(
      'JWT_SECRET: is required; WHATSAPP_APP_SECRET: is required; WHATSAPP_NUMBERS: no phone_number_id for Customer, Vendor, SRDP',
    );
  });
});
