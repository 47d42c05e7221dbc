import type { TestProject } from 'vitest/node';
import { resolveServices } from './services.js';

import './provided-context.js';

/** Vitest global setup: finds (or starts) Redis and PostgreSQL once for a whole run. */
export default async function setup(project: TestProject) {
  const services = await resolveServices();
  project.provide('redisUrl', services.redisUrl);
  project.provide('databaseUrl', services.databaseUrl);
  return services.stop;
}
