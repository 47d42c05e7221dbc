import { CUSTOMER_TYPES, type CustomerType } from './customer-types.js';

/** Where a customer type's chat-list updates go: its dashboard room and the event name sent there. */
export interface CustomerTypeRoute {
  readonly room: string;
  readonly event: string;
}

/**
 * The one table of customer type → room → chat-list event. `satisfies Record<CustomerType, …>` makes a
 * customer type without a route a compile error: the system we replace lost every Partner update to a
 * missing `elif`. `room_update` has no suffix because that is the name the first dashboard used.
 */
export const CUSTOMER_TYPE_ROUTES = {
  Partner: { room: 'PartnerApp', event: 'room_update' },
  Customer: { room: 'CustomerApp', event: 'room_update_customer' },
  Vendor: { room: 'VendorApp', event: 'room_update_vendor' },
  SRDP: { room: 'SRDPApp', event: 'room_update_srdp' },
} as const satisfies Record<CustomerType, CustomerTypeRoute>;

type Routes = typeof CUSTOMER_TYPE_ROUTES;

/** One of the four per-type dashboard rooms (`PartnerApp`, …). */
export type TypeRoom = Routes[CustomerType]['room'];

/** One of the four chat-list events (`room_update`, `room_update_customer`, …). */
export type RoomUpdateEvent = Routes[CustomerType]['event'];

export function routeOf<T extends CustomerType>(type: T): Routes[T] {
  return CUSTOMER_TYPE_ROUTES[type];
}

export const TYPE_ROOMS: readonly TypeRoom[] = CUSTOMER_TYPES.map((type) => CUSTOMER_TYPE_ROUTES[type].room);

export const ROOM_UPDATE_EVENTS: readonly RoomUpdateEvent[] = CUSTOMER_TYPES.map(
  (type) => CUSTOMER_TYPE_ROUTES[type].event,
);

const typeByRoom: ReadonlyMap<string, CustomerType> = new Map(
  CUSTOMER_TYPES.map((type) => [CUSTOMER_TYPE_ROUTES[type].room, type]),
);

export function isTypeRoom(value: unknown): value is TypeRoom {
  return typeof value === 'string' && typeByRoom.has(value);
}

export function customerTypeOfRoom(room: TypeRoom): CustomerType {
  const type = typeByRoom.get(room);
  if (type === undefined) throw new Error(`Not a customer type room: ${room}`);
  return type;
}
