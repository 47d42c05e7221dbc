import { startGateway, uniquePrefix } from '@care-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const prefix = uniquePrefix();
let development: Awaited<ReturnType<typeof startGateway>>;
let production: Awaited<ReturnType<typeof startGateway>>;
let enabledInProduction: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  [development, production, enabledInProduction] = await Promise.all([
    startGateway(prefix),
    startGateway(prefix, { NODE_ENV: 'production' }),
    startGateway(prefix, { NODE_ENV: 'production', DEV_CONSOLE: 'true' }),
  ]);
});
afterAll(() => Promise.all([development, production, enabledInProduction].map((node) => node?.process.stop())));

describe('the console page (DEV_CONSOLE)', () => {
  it('is served in development: the page under a strict CSP, its script, the contract names, the Socket.IO client', async () => {
    const page = await fetch(`${development.url}/dev/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('/ws/socket.io.min.js');
    const script = await fetch(`${development.url}/dev/console/console.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const contract = (await (await fetch(`${development.url}/dev/console/contract.json`)).json()) as {
      routes: Record<string, { room: string; event: string }>;
      events: Record<string, string>;
    };
    expect(contract.routes.Vendor).toEqual({ room: 'VendorApp', event: 'room_update_vendor' });
    expect(contract.events.sendMessage).toBe('send_message');
    const client = await fetch(`${development.url}/ws/socket.io.min.js`);
    expect(client.status).toBe(200);
    expect(await client.text()).toContain('Socket.IO');
  });

  it('is absent with NODE_ENV=production, the Socket.IO client too', async () => {
    for (const path of ['/dev/console', '/dev/console/console.js', '/dev/console/contract.json']) {
      expect((await fetch(`${production.url}${path}`)).status).toBe(404);
    }
    expect((await fetch(`${production.url}/ws/socket.io.min.js`)).status).not.toBe(200);
  });

  it('is served in production when DEV_CONSOLE=true says so', async () => {
    expect((await fetch(`${enabledInProduction.url}/dev/console`)).status).toBe(200);
  });
});
