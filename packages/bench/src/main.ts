/**
 * `npm run bench -- --scenario realistic|fanout|ingest|idle|compare|replies|all [--clients N] [--rate R]
 * [--seconds T] [--gateways G] [--workers W] [--concurrency C] [--threads N] [--profile] [--urls U1,U2]
 * [--customers C] [--save]`: starts the tier from the built apps (or, for compare, bare Socket.IO nodes too) or targets
 * running URLs, opens light clients in N receiver threads, drives signed webhooks, and writes
 * bench/runs/<scenario>.json and .md, and with --save bench/results/ too. It stops by itself.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { runsDir } from '@care-chat/testkit/tools';
import { scenario, targetUrls, values } from './options.js';
import { summarizeProfiles } from './profile-summary.js';
import { writeReport } from './report.js';
import { all, SCENARIOS } from './scenarios.js';
import { roles } from './tier-probes.js';

const run = scenario === 'all' ? all : SCENARIOS[scenario];
if (run === undefined) throw new Error(`unknown scenario ${scenario}: all, ${Object.keys(SCENARIOS).join(', ')}`);
if (targetUrls !== undefined && !['realistic', 'fanout', 'ingest'].includes(scenario)) {
  throw new Error(`--urls: ${scenario} needs processes it starts itself; realistic, fanout and ingest can target URLs`);
}
// `--profile`: the apps run under `node --cpu-prof`; their profiles are summed up in <scenario>-profile.md.
const profiles = `${runsDir}/profiles/${scenario}`;
if (values.profile) {
  rmSync(profiles, { recursive: true, force: true });
  mkdirSync(profiles, { recursive: true });
  process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ''} --cpu-prof --cpu-prof-dir=${profiles}`;
}
await run();
if (values.profile) {
  writeReport(
    `${scenario}-profile`,
    { profiles: `bench/runs/profiles/${scenario}` },
    { 'self time': summarizeProfiles(profiles, roles) },
  );
}
process.exit(0);
