import { describe, expect, it } from 'vitest';
import { ConfigError, env, parseEnv } from '../src/index.js';

const spec = {
  PORT: env.integer(3000, 0, 65535),
  HOST: env.string('0.0.0.0'),
  URL: env.url('redis://127.0.0.1:6379', ['redis:']),
  MODE: env.oneOf(['a', 'b'] as const, 'a'),
  LIST: env.list(['*'], (item) => {
    if (item.includes(' ')) throw new Error(`"${item}" has a space`);
  }),
  NEEDED: env.requiredString(),
};

function problemsOf(source: Record<string, string>): readonly string[] {
  try {
    parseEnv(source, spec);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseEnv', () => {
  it('applies defaults and returns a frozen object', () => {
    const config = parseEnv({ NEEDED: 'x' }, spec);
    expect(config).toEqual({
      PORT: 3000,
      HOST: '0.0.0.0',
      URL: 'redis://127.0.0.1:6379',
      MODE: 'a',
      LIST: ['*'],
      NEEDED: 'x',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses given values', () => {
    const config = parseEnv({ PORT: '8080', URL: 'redis://r:1', MODE: 'b', LIST: ' a.com, b.com ', NEEDED: 'y' }, spec);
    expect(config).toMatchObject({ PORT: 8080, URL: 'redis://r:1', MODE: 'b', LIST: ['a.com', 'b.com'] });
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({ PORT: '80a', URL: 'http://x', MODE: 'c' });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['PORT', 'URL', 'MODE', 'NEEDED']);
  });

  it('refuses a list with an empty item, or an item its check refuses', () => {
    expect(problemsOf({ NEEDED: 'x', LIST: 'a.com,,b.com' })).toEqual(['LIST: has an empty item, got "a.com,,b.com"']);
    expect(problemsOf({ NEEDED: 'x', LIST: 'a.com,' })).toEqual(['LIST: has an empty item, got "a.com,"']);
    expect(problemsOf({ NEEDED: 'x', LIST: 'a.com, b c' })).toEqual(['LIST: "b c" has a space']);
  });

  it('treats an empty value as unset', () => {
    expect(problemsOf({ NEEDED: '' })).toEqual(['NEEDED: is required']);
  });

  it('adds cross-variable problems from refine', () => {
    expect(() => parseEnv({ NEEDED: 'x' }, spec, () => ['A and B: set only one'])).toThrow(/A and B: set only one/);
  });
});
