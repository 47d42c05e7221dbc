import { existsSync } from 'node:fs';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGIN, type RunningDevStack, runSimulate, startDevStack } from './dev-stack.js';

// Debian's chromium; playwright-core downloads no browser of its own.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`console.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

const WAIT = { timeout: 20_000 };
let stack: RunningDevStack;
let browser: Browser;
let page: Page;

/** The row of the live updates table showing `text`. */
const update = (text: string) => page.locator('#updates tr', { hasText: text }).first();

describe.skipIf(!haveChromium)('the console page, in headless Chromium against npm start', () => {
  beforeAll(async () => {
    stack = await startDevStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    await page.goto(`${stack.url}/dev/console`);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("opens logged in from the URL npm start prints, with the rooms' chats, a message sent before among them", async () => {
    expect((await runSimulate(stack.url, 'Partner', 'sent before the page opened')).code).toBe(0);
    const printed = await browser.newPage();
    await printed.goto(stack.consoleUrl);
    await printed.locator('#chats tr', { hasText: 'sent before the page opened' }).waitFor(WAIT);
    // Newest first, across the four rooms.
    await expect
      .poll(() => printed.locator('#chats tr').first().textContent(), WAIT)
      .toContain('sent before the page opened');
    await printed.locator('#connection', { hasText: 'connected' }).waitFor(WAIT);
    expect(await printed.textContent('#who')).toContain('Demo Executive');
    // The token is taken out of the address bar (and so out of the history) at once.
    expect(new URL(printed.url()).hash).toBe('');
    await printed.close();
  });

  it('logs in as the demo executive and joins the four type rooms', async () => {
    await page.fill('#password', 'wrong password');
    await page.click('#login');
    await page.locator('#login-error', { hasText: 'Wrong username or password' }).waitFor(WAIT);
    await page.fill('#password', DEMO_LOGIN.password);
    await page.click('#login');
    await page.locator('#connection', { hasText: 'connected' }).waitFor(WAIT);
    await expect.poll(() => page.textContent('#rooms'), WAIT).toMatch(/(\w+App, ){3}\w+App/);
  });

  it('shows a message sent with `npm run simulate`, with its approximate latency', async () => {
    expect((await runSimulate(stack.url, 'Partner', 'hi from the terminal')).code).toBe(0);
    const row = update('hi from the terminal');
    await row.waitFor(WAIT);
    expect(await row.locator('td.latency').textContent()).toMatch(/^≈ \d+ ms$/);
    expect(await row.textContent()).toContain('Partner');
  });

  it("sends a customer's message from the page and shows it with its measured latency", async () => {
    await page.selectOption('#sim-type', 'Vendor');
    await page.fill('#sim-customer', '919822222222');
    await page.fill('#sim-text', 'hi from the page');
    await page.click('#simulate');
    const row = update('hi from the page');
    await row.waitFor(WAIT);
    expect(await row.locator('td.latency').textContent()).toMatch(/^\d+ ms$/);
    expect(await page.textContent('#sim-result')).toContain('200');
  });

  it('opens the chat, answers a reply, and shows a delivery status as WhatsApp reports it', async () => {
    // A message the business sent in this chat (replies are another change's: this one needs a wamid to follow).
    const chatId = await update('hi from the page').getAttribute('data-chat-id');
    const db = new pg.Client({ connectionString: stack.database.url });
    await db.connect();
    await db.query(
      `INSERT INTO messages (chat_id, wamid, sender, sender_type, kind, body, sent_at, delivery_status, delivery_rank)
       VALUES ($1, 'wamid.console-test', 'demo', 'Executive', 'text', 'we are on it', now(), 'sent', 2)`,
      [chatId],
    );
    await db.end();

    await update('hi from the page').click();
    const sentRow = page.locator('#messages tr', { hasText: 'we are on it' });
    await sentRow.waitFor(WAIT);
    expect(await page.locator('#messages tr', { hasText: 'hi from the page' }).count()).toBe(1);

    await page.fill('#reply-text', 'thanks, looking');
    await page.click('#reply');
    await expect.poll(() => page.textContent('#reply-result'), WAIT).toMatch(/^(sent, message \S+|Not supported.*)$/);

    await sentRow.locator('button', { hasText: 'delivered' }).click();
    await expect.poll(() => sentRow.locator('td').nth(3).textContent(), WAIT).toBe('delivered');
  });

  it("kills the page's gateway from the page: the page reconnects through the other, recovered, and keeps receiving", async () => {
    const mine = page.locator('#gateways tr[data-mine="true"]');
    await mine.waitFor(WAIT);
    const name = await mine.getAttribute('data-gateway');
    await mine.locator('button[data-action="kill"]').click();
    const killed = page.locator(`#gateways tr[data-gateway="${name}"]`);
    await killed.locator('td', { hasText: 'down' }).waitFor(WAIT);
    await page.locator('#connection', { hasText: 'recovered' }).waitFor(WAIT);
    await page.fill('#sim-text', 'while a gateway is down');
    await page.click('#simulate');
    await update('while a gateway is down').waitFor(WAIT);

    await killed.locator('button[data-action="restart"]').click();
    await page.locator(`#gateways tr[data-gateway="${name}"] td`, { hasText: 'up on' }).waitFor(WAIT);
    await page.fill('#sim-text', 'after the gateway is back');
    await page.click('#simulate');
    await update('after the gateway is back').waitFor(WAIT);
  });
});
