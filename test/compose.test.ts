import { readFileSync } from 'node:fs';
import { LOCAL_SECRETS, repoRoot, SAMPLE_NUMBERS } from '@care-chat/testkit/tools';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine here: the file is checked as Compose reads it (YAML 1.1 merge keys, ${VAR:-default}).
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(`${repoRoot}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const haproxyCfg = readFileSync(`${repoRoot}infra/haproxy/haproxy.cfg`, 'utf8');
const readme = readFileSync(`${repoRoot}README.md`, 'utf8');
const service = (name: string): Service => {
  const found = services[name];
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
};
/** What `${NAME:-default}` gives with nothing set. */
const unset = (value: string | undefined) => value?.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml', () => {
  it('runs the whole tier by default: HAProxy, two gateways, a worker, Redis, PostgreSQL', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway-1', 'gateway-2', 'haproxy', 'postgres', 'redis', 'worker']);
    for (const name of ['gateway-1', 'gateway-2'])
      expect(service(name).command).toEqual(['node', 'apps/gateway/dist/main.js']);
    expect(service('worker').command).toEqual(['node', 'apps/worker/dist/main.js']);
  });

  it('gives every service a health check and a restart policy', () => {
    for (const [name, entry] of Object.entries(services)) {
      expect(entry.healthcheck?.test[0], name).toBe('CMD');
      expect(entry.restart, name).toBe('unless-stopped');
    }
  });

  it('publishes on 127.0.0.1 only, each port configurable, and the tier on one port through HAProxy', () => {
    const published = Object.entries(services).flatMap(([name, entry]) => (entry.ports ?? []).map((p) => [name, p]));
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:\$\{[A-Z_]+:-\d+\}:\d+$/);
    expect(published.map(([name]) => name).sort()).toEqual(['haproxy', 'postgres', 'redis']);
    expect(service('haproxy').ports?.map(unset)).toEqual(['127.0.0.1:3000:3000']);
    expect(service('haproxy').volumes).toContain('./infra/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    expect(service('haproxy').environment).toMatchObject({ GATEWAY_1: 'gateway-1:3000', GATEWAY_2: 'gateway-2:3000' });
  });

  it('keeps Redis on an append-only file, fsynced every second, on a volume', () => {
    const command = service('redis').command?.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--appendfsync everysec');
    expect(service('redis').volumes).toEqual(['redis-data:/data']);
    expect(compose.volumes).toHaveProperty('redis-data');
  });

  it('gives PostgreSQL a password and a volume, and the apps the same password', () => {
    const environment = service('postgres').environment ?? {};
    expect(environment).not.toHaveProperty('POSTGRES_HOST_AUTH_METHOD');
    const password = unset(environment.POSTGRES_PASSWORD);
    expect(password?.length).toBeGreaterThanOrEqual(16);
    expect(service('postgres').volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    for (const name of ['gateway-1', 'gateway-2', 'worker']) {
      expect(unset(service(name).environment?.DATABASE_URL)).toBe(
        `postgres://postgres:${password}@postgres:5432/postgres`,
      );
    }
  });

  it("gives the apps the README's local secrets and all four customer types' sample numbers", () => {
    for (const name of ['gateway-1', 'gateway-2', 'worker']) {
      const environment = service(name).environment ?? {};
      for (const [variable, value] of Object.entries(LOCAL_SECRETS)) {
        expect(unset(environment[variable]), `${name} ${variable}`).toBe(value);
        expect(readme).toContain(`${variable}=${value}`);
      }
      expect(JSON.parse(environment.WHATSAPP_NUMBERS ?? '{}')).toEqual(SAMPLE_NUMBERS);
      expect(environment.TRUST_PROXY).toBe('1');
    }
  });
});

describe('the worker', () => {
  it("is checked on its own health port, through the image's health check", () => {
    const worker = service('worker');
    expect(worker.healthcheck?.test).toEqual(['CMD', 'node', 'infra/healthcheck.mjs']);
    expect(worker.environment?.HEALTHCHECK_URL).toBe('http://127.0.0.1:9464/api/health/ready');
  });
});

describe('infra/haproxy/haproxy.cfg', () => {
  it('spreads requests at random, without stickiness, and keeps WebSockets open past a ping', () => {
    expect(haproxyCfg).toMatch(/^\s*balance random$/m);
    expect(haproxyCfg).not.toMatch(/^\s*(cookie|stick|hash-type|balance source)\b/m);
    expect(haproxyCfg).toMatch(/^\s*timeout tunnel 1h$/m);
    expect(haproxyCfg).toMatch(/^\s*option httpchk GET \/api\/health\/ready$/m);
    expect(haproxyCfg).toMatch(/^\s*option forwardfor$/m);
  });
});
