import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_TYPE_ROUTES,
  CUSTOMER_TYPES,
  chatIdOfRoom,
  chatRoom,
  customerTypeOfRoom,
  DASHBOARD_ROOM,
  isTypeRoom,
  ROOM_UPDATE_EVENTS,
  routeOf,
  TYPE_ROOMS,
} from '../src/index.js';

describe('customer type routes', () => {
  it('are exactly the table of the spec', () => {
    expect(CUSTOMER_TYPE_ROUTES).toEqual({
      Partner: { room: 'PartnerApp', event: 'room_update' },
      Customer: { room: 'CustomerApp', event: 'room_update_customer' },
      Vendor: { room: 'VendorApp', event: 'room_update_vendor' },
      SRDP: { room: 'SRDPApp', event: 'room_update_srdp' },
    });
  });

  it('give every customer type a distinct room and event', () => {
    expect(new Set(TYPE_ROOMS).size).toBe(CUSTOMER_TYPES.length);
    expect(new Set(ROOM_UPDATE_EVENTS).size).toBe(CUSTOMER_TYPES.length);
  });

  it.each(CUSTOMER_TYPES)('map %s to its room and back', (type) => {
    const { room } = routeOf(type);
    expect(isTypeRoom(room)).toBe(true);
    expect(customerTypeOfRoom(room)).toBe(type);
  });

  it('know no other rooms', () => {
    for (const room of ['dashboard', 'chat_1', 'partnerapp', 'PartnerApp ', '', null, 1, {}]) {
      expect(isTypeRoom(room)).toBe(false);
    }
  });
});

describe('room helpers', () => {
  it('name chat rooms chat_<id> and the everyone room dashboard', () => {
    expect(chatRoom('65a1b2c3')).toBe('chat_65a1b2c3');
    expect(DASHBOARD_ROOM).toBe('dashboard');
  });
});

describe('chatIdOfRoom', () => {
  it('reads the id back from chat_<id>, and nothing from other rooms', () => {
    expect(chatIdOfRoom(chatRoom('1234'))).toBe('1234');
    for (const room of ['dashboard', 'PartnerApp', 'stats_Partner', 'chat', 'xchat_1'])
      expect(chatIdOfRoom(room)).toBeNull();
  });
});
