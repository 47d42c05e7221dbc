import { request } from 'node:http';

export interface Services {
  redisUrl: string;
  databaseUrl: string;
  /** Stops what was started for the run (containers); a no-op for services found running. */
  stop: () => Promise<void>;
}

const LOCAL = {
  redisUrl: 'redis://127.0.0.1:6379',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
};

/** Does a Docker engine answer on its socket? The CLI alone is not enough. */
function dockerAnswers(): Promise<boolean> {
  const socketPath = process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') ?? '/var/run/docker.sock';
  return new Promise((resolve) => {
    const ping = request({ socketPath, path: '/_ping', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    ping.on('error', () => resolve(false));
    ping.on('timeout', () => {
      ping.destroy();
      resolve(false);
    });
    ping.end();
  });
}

async function startContainers(): Promise<Services> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const [redis, postgres] = await Promise.all([
    new GenericContainer('redis:7-alpine').withExposedPorts(6379).start(),
    new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
  ]);
  return {
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    databaseUrl: `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
    stop: async () => {
      await Promise.all([redis.stop(), postgres.stop()]);
    },
  };
}

/**
 * Where the tests find Redis and PostgreSQL: REDIS_URL / DATABASE_URL when set, else containers when a
 * Docker engine answers, else the services on this machine.
 */
export async function resolveServices(): Promise<Services> {
  const { REDIS_URL, DATABASE_URL } = process.env;
  if (REDIS_URL === undefined && DATABASE_URL === undefined && (await dockerAnswers())) return startContainers();
  return {
    redisUrl: REDIS_URL ?? LOCAL.redisUrl,
    databaseUrl: DATABASE_URL ?? LOCAL.databaseUrl,
    stop: async () => {},
  };
}
