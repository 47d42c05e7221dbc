import { defineProject } from 'vitest/config';

// Checks of the repository as a whole: its documents against its code.
export default defineProject({
  test: {
    name: 'repository',
    include: ['*.test.ts'],
  },
});
