import { defineProject } from 'vitest/config';

// Whole-tier tests: two gateway processes and a worker, started as users start them.
export default defineProject({
  test: {
    name: 'tier',
    include: ['**/*.test.ts'],
    globalSetup: ['@care-chat/testkit/global-setup'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
