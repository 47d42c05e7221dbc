import { describe, expect, it } from 'vitest';
import { redisAddress } from '../src/index.js';

describe('redisAddress', () => {
  it('names host and port, never the user or password', () => {
    expect(redisAddress('redis://default:hunter2-secret@cache.internal:6380/2')).toBe('cache.internal:6380');
  });

  it("takes Redis's port when the URL has none, and keeps IPv6 brackets", () => {
    expect(redisAddress('rediss://:secret@cache.internal')).toBe('cache.internal:6379');
    expect(redisAddress('redis://[::1]:6390')).toBe('[::1]:6390');
  });
});
