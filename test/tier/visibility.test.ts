import { ClientEvent, type CustomerType, type DashboardStats, ServerEvent } from '@care-chat/contract';
import {
  closeAllClients,
  nextEvent,
  postWebhook,
  recordEvents,
  request,
  SAMPLE_NUMBERS,
  settle,
  TEST_APP_SECRET,
  textWebhook,
  viaEmitter,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Tier } from './tier.js';

let tier: Tier;
let serial = 0;

beforeAll(async () => {
  tier = await Tier.start();
});
afterEach(closeAllClients);
afterAll(async () => {
  await tier?.stop();
});

const write = async (type: CustomerType) => {
  const body = textWebhook({
    phoneNumberId: SAMPLE_NUMBERS[type],
    from: `91970000${String(++serial).padStart(4, '0')}`,
    text: 'hello',
  });
  expect((await postWebhook(tier.nodes[0].url, body, TEST_APP_SECRET)).status).toBe(200);
};

const activeOf = (stats: DashboardStats, type: CustomerType) => stats.by_type[type]?.active ?? 0;

describe('dashboard_stats from the worker', () => {
  it('reach each executive counted over the types its token allows, and nothing of the others', async () => {
    const before = await tier.stats();
    const everyType = await tier.client(tier.nodes[0], null);
    const customerOnly = await tier.client(tier.nodes[1], null, { customer_types: ['Customer'] });
    const partnerAndVendor = await tier.client(tier.nodes[0], null, { customer_types: ['Vendor', 'Partner'] });
    const seen = [customerOnly, partnerAndVendor].map((client) => recordEvents(client, [ServerEvent.DashboardStats]));

    const oneMore = (stats: DashboardStats, type: CustomerType) => activeOf(stats, type) === activeOf(before, type) + 1;
    for (const [type, watcher] of [
      ['Partner', partnerAndVendor],
      ['Customer', customerOnly],
    ] as const) {
      const counted = nextEvent(watcher, ServerEvent.DashboardStats, 10_000, (stats) => oneMore(stats, type));
      await write(type);
      await counted;
    }
    await tier.drained();
    await settle(viaEmitter(tier.emitter), [everyType, customerOnly, partnerAndVendor]);

    // The last one each got is settle's marker.
    const received = seen.map((events) => (events.get(ServerEvent.DashboardStats) as DashboardStats[]).slice(0, -1));
    const [ofCustomer, ofPartnerAndVendor] = received as [DashboardStats[], DashboardStats[]];
    expect(ofCustomer.length).toBeGreaterThan(0);
    for (const stats of ofCustomer) {
      expect(Object.keys(stats.by_type)).toEqual(['Customer']);
      expect(stats.active).toBe(activeOf(stats, 'Customer'));
    }
    for (const stats of ofPartnerAndVendor) {
      expect(Object.keys(stats.by_type)).toEqual(['Partner', 'Vendor']);
      expect(stats.active).toBe(activeOf(stats, 'Partner') + activeOf(stats, 'Vendor'));
    }
    // The Customer message changed nothing Partner and Vendor executives may see: none was sent to them.
    expect(ofPartnerAndVendor.filter((stats) => oneMore(stats, 'Partner'))).toHaveLength(1);

    const all = await request(everyType, ClientEvent.GetDashboardStats, {});
    expect(all).toEqual({ status: 1, data: await tier.stats() });
  });
});
