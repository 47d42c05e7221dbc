import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'realtime',
    include: ['test/**/*.test.ts'],
    globalSetup: ['@care-chat/testkit/global-setup'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
