import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'devstack',
    include: ['test/**/*.test.ts'],
    globalSetup: ['@care-chat/testkit/global-setup'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
