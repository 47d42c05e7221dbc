import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig as gatewayConfig } from '../apps/gateway/dist/env.js';
import { loadConfig as workerConfig } from '../apps/worker/dist/env.js';

// The image and the Railway services cannot be built here (no Docker engine, no Railway): these checks hold
// their files to the code they package, so neither drifts from the other unnoticed.

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
const readJson = <T>(file: string): T => JSON.parse(read(file)) as T;
interface Manifest {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface RailwayConfig {
  build: { dockerfilePath: string; watchPatterns: string[] };
  deploy: {
    startCommand: string;
    preDeployCommand: string[];
    healthcheckPath?: string;
    numReplicas: number;
    drainingSeconds: number;
  };
}

const RUNTIME_APPS = ['@care-chat/gateway', '@care-chat/worker'];
const dockerfile = read('infra/Dockerfile');
const out = mkdtempSync(join(tmpdir(), 'runtime-tree-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** What the image's build stage runs: the runtime workspaces laid out, not installed. */
function runtimeTree(): string[] {
  execFileSync(process.execPath, ['infra/runtime-tree.mjs', out, ...RUNTIME_APPS], { cwd: repoRoot });
  return (JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as Manifest).workspaces ?? [];
}

describe('the image (infra/Dockerfile)', () => {
  it('runs the Node.js that .nvmrc pins', () => {
    expect(dockerfile).toContain(`ARG NODE_VERSION=${read('.nvmrc').trim()}\n`);
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(bases.length).toBeGreaterThan(1);
    for (const base of bases) expect(base).toBe(`node:\${NODE_VERSION}-bookworm-slim`);
  });

  it('runs as a user other than root, with a health check and the gateway as its default command', () => {
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^HEALTHCHECK .*CMD \["node", "infra\/healthcheck\.mjs"\]$/m);
    expect(final).toMatch(/^CMD \["node", "apps\/gateway\/dist\/main\.js"\]$/m);
    expect(final).toContain('NODE_ENV=production');
  });

  it('holds only the workspaces the gateway and the worker run, with what each publishes', () => {
    const workspaces = runtimeTree();
    expect(workspaces).toEqual([
      'apps/gateway',
      'apps/worker',
      'packages/contract',
      'packages/realtime',
      'packages/runtime',
      'packages/store',
    ]);
    for (const dir of workspaces) {
      expect(existsSync(join(out, dir, 'package.json'))).toBe(true);
      expect(existsSync(join(out, dir, 'dist'))).toBe(true);
    }
    expect(existsSync(join(out, 'packages/store/migrations/001_chats.sql'))).toBe(true);
    const root = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as Manifest;
    expect(root.devDependencies).toBeUndefined();
    expect(root.name).toBe(readJson<Manifest>('package.json').name);
    expect(readFileSync(join(out, 'package-lock.json'), 'utf8')).toBe(read('package-lock.json'));
  });

  it('installs production dependencies only, without optional ones (TypeScript comes as an optional peer)', () => {
    expect(dockerfile).toMatch(/npm install --omit=dev --omit=optional --ignore-scripts/);
  });

  it('gets no test tooling through a runtime dependency', () => {
    const testOnly = ['@care-chat/testkit', '@care-chat/bench', 'testcontainers', 'socket.io-client', 'vitest'];
    for (const dir of runtimeTree()) {
      const dependencies = Object.keys(readJson<Manifest>(`${dir}/package.json`).dependencies ?? {});
      expect(
        dependencies.filter((name) => testOnly.includes(name)),
        dir,
      ).toEqual([]);
    }
  });

  it('refuses a workspace that does not exist, naming it', () => {
    expect(() =>
      execFileSync(process.execPath, ['infra/runtime-tree.mjs', out, '@care-chat/nope'], {
        cwd: repoRoot,
        stdio: 'pipe',
      }),
    ).toThrow(/@care-chat\/nope is not a workspace/);
  });
});

describe('the Railway services (infra/railway)', () => {
  const services = {
    gateway: { config: readJson<RailwayConfig>('infra/railway/gateway.json'), dir: 'apps/gateway' },
    worker: { config: readJson<RailwayConfig>('infra/railway/worker.json'), dir: 'apps/worker' },
  };
  const tree = runtimeTree();
  const dependsOn = (dir: string): string[] => {
    const names = Object.keys(readJson<Manifest>(`${dir}/package.json`).dependencies ?? {});
    const dirs = tree.filter((candidate) => names.includes(readJson<Manifest>(`${candidate}/package.json`).name));
    return [...new Set(dirs.flatMap((child) => [child, ...dependsOn(child)]))];
  };

  for (const [name, { config, dir }] of Object.entries(services)) {
    it(`${name}: builds this image, migrates before it deploys, and starts a file the build makes`, () => {
      expect(config.build.dockerfilePath).toBe('infra/Dockerfile');
      expect(config.deploy.preDeployCommand).toEqual(['node packages/store/dist/migrate-cli.js']);
      expect(existsSync(join(repoRoot, 'packages/store/dist/migrate-cli.js'))).toBe(true);
      expect(config.deploy.startCommand).toBe(`node ${dir}/dist/main.js`);
      expect(config.deploy.numReplicas).toBeGreaterThanOrEqual(2);
    });

    it(`${name}: redeploys on a change to any workspace it runs, and to the image's own files`, () => {
      const watched = config.build.watchPatterns;
      for (const workspace of [dir, ...dependsOn(dir)]) expect(watched).toContain(`${workspace}/**`);
      for (const file of ['package-lock.json', 'infra/Dockerfile', 'infra/runtime-tree.mjs', 'infra/healthcheck.mjs']) {
        expect(watched).toContain(file);
      }
      expect(watched).toContain(`infra/railway/${name}.json`);
    });
  }

  it('gives each process the time its own shutdown may take before Railway kills it', () => {
    const gateway = gatewayConfig({
      JWT_SECRET: 'x'.repeat(32),
      WHATSAPP_APP_SECRET: 'app-secret',
      WHATSAPP_VERIFY_TOKEN: 'verify',
    });
    const worker = workerConfig({ WHATSAPP_NUMBERS: '{"Partner":"100000000000001"}' });
    expect(services.gateway.config.deploy.drainingSeconds * 1000).toBeGreaterThan(
      gateway.drainDelayMs + gateway.shutdownTimeoutMs,
    );
    expect(services.worker.config.deploy.drainingSeconds * 1000).toBeGreaterThan(worker.shutdownTimeoutMs);
  });

  it('checks each process by its readiness, which turns 503 while it stops', () => {
    expect(services.gateway.config.deploy.healthcheckPath).toBe('/api/health/ready');
    expect(services.worker.config.deploy.healthcheckPath).toBe('/api/health/ready');
  });
});
