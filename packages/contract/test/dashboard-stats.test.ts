import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_TYPES,
  type DashboardStats,
  isStatsRoom,
  STATS_AUDIENCES,
  statsOfTypes,
  statsRoom,
  statsRoomsOf,
  TYPE_ROOMS,
} from '../src/index.js';

const stats: DashboardStats = {
  active: 15,
  resolved: 33,
  pending: 4,
  by_type: {
    Partner: { active: 1, resolved: 2, pending: 0 },
    Customer: { active: 4, resolved: 8, pending: 1 },
    Vendor: { active: 0, resolved: 7, pending: 0 },
    SRDP: { active: 10, resolved: 16, pending: 3 },
  },
};

describe('stats rooms', () => {
  it('are one per non-empty set of customer types, whatever order a token lists them in', () => {
    expect(STATS_AUDIENCES).toHaveLength(15);
    expect(new Set(STATS_AUDIENCES.map(({ room }) => room)).size).toBe(15);
    for (const { room, types } of STATS_AUDIENCES) {
      expect(statsRoom(types)).toBe(room);
      expect(statsRoom([...types].reverse())).toBe(room);
      expect(isStatsRoom(room)).toBe(true);
    }
    expect(statsRoom(['Vendor', 'Partner'])).toBe('stats_Partner+Vendor');
    expect(statsRoom([])).toBeNull();
  });

  it('are no other room', () => {
    for (const room of [...TYPE_ROOMS, 'dashboard', 'chat_1', 'stats_', 'stats_Vendor+Partner', null, 7]) {
      expect(isStatsRoom(room)).toBe(false);
    }
  });
});

describe('statsOfTypes', () => {
  it('counts only the types given, and names no other', () => {
    expect(statsOfTypes(stats, ['SRDP', 'Customer'])).toEqual({
      active: 14,
      resolved: 24,
      pending: 4,
      by_type: { Customer: stats.by_type.Customer, SRDP: stats.by_type.SRDP },
    });
    expect(statsOfTypes(stats, [])).toEqual({
      active: 0,
      resolved: 0,
      pending: 0,
      by_type: {},
    });
  });

  it('gives the whole counts for every type', () => {
    expect(statsOfTypes(stats, CUSTOMER_TYPES)).toEqual(stats);
  });
});

describe('statsRoomsOf', () => {
  it('names the stats room of every set of types that includes the type, and no other', () => {
    for (const type of CUSTOMER_TYPES) {
      const rooms = statsRoomsOf(type);
      expect(rooms).toHaveLength(2 ** (CUSTOMER_TYPES.length - 1));
      for (const { room, types } of STATS_AUDIENCES) expect(rooms.includes(room)).toBe(types.includes(type));
    }
    expect(statsRoomsOf('SRDP')).toContain(statsRoom(['Vendor', 'SRDP']));
    expect(statsRoomsOf('SRDP')).not.toContain(statsRoom(['Partner']));
  });
});
