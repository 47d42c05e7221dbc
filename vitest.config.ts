import { defineConfig } from 'vitest/config';

// One run over every workspace; each has its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'test/vitest.config.ts',
      'test/tier/vitest.config.ts',
    ],
    // Two cores: test files that start gateway processes must not starve each other.
    maxWorkers: 2,
  },
});
