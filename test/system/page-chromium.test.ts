/// <reference lib="dom" />
// The callbacks given to page.evaluate and $eval run in the browser: they need the DOM types.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIServer } from '../../src/facade/index.js';
import { emulatorOf } from '../../src/emulator/index.js';
import { startServe, type ServeHandle } from '../../src/serve/http.js';
import { colourStats, decodePng } from './png.js';

// The page the way a person uses it: Debian's Chromium, headless, against `serve --http` on the
// emulator. The browser runs in New York time so a clock that is not Korea time shows.

/** Where the screenshot is saved (for a person to look at after the run). */
const SCREENSHOT = join('test-results', 'page-chromium.png');
const UP = 'rgb(224, 43, 43)';
const DOWN = 'rgb(31, 95, 224)';
const CODES = ['005930', '000660', '035420'];

let api: APIServer;
let server: ServeHandle;
let browser: Browser;
let page: Page;
let profile: string;

const ledger = () => emulatorOf(api)!.orderLedger();
const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
const kstSeconds = (ms: number): number => {
  const [h, m, s] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms).split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};

beforeAll(async () => {
  api = new APIServer();
  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'silent' });
  expect(await api.CommConnect(true)).toBe(0);
  server = await startServe({ api, domain: api.domain ?? '', watch: CODES, live: { accountRefreshMs: 1_000 } });
  profile = mkdtempSync(join(tmpdir(), 'kiwoom-page-chromium-'));
  browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
    defaultViewport: { width: 1280, height: 860 },
    env: { ...process.env, TZ: 'America/New_York' },
  });
  page = await browser.newPage();
  page.setDefaultTimeout(20_000);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await api?.cleanup();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
});

describe('the serve page in Chromium', () => {
  it('asks for the token, refuses a wrong one, and logs in with a cookie the page\'s script cannot read (no token in any URL)', async () => {
    const first = await page.goto(server.url);
    expect(first?.status()).toBe(401);
    await page.type('input[name="token"]', 'not-the-token');
    const [wrong] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(wrong?.status()).toBe(401);
    expect(await text('.error')).toMatch(/wrong token/);

    await page.type('input[name="token"]', server.token);
    const [home] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(home?.status()).toBe(200);
    expect(page.url()).toBe(`${server.url}/`);
    const cookies = await browser.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies[0]!.value).not.toContain(server.token);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.waitForFunction(() => document.getElementById('link')?.dataset.state === 'live');
    expect(await text('#domain')).toBe('에뮬레이터');
  });

  it('shows the watched quotes changing, rises red and falls blue, and the time in Korea', async () => {
    const prices = () => page.$$eval('#quote-rows td.price', (cells) => cells.map((c) => c.textContent ?? ''));
    await page.waitForFunction((n: number) => [...document.querySelectorAll('#quote-rows td.price')].filter((c) => /\d/.test(c.textContent ?? '')).length === n, {}, CODES.length);
    expect(await page.$$eval('#quote-rows tr', (rows) => rows.map((r) => r.getAttribute('data-code')))).toEqual(CODES);
    const before = await prices();
    await page.waitForFunction((was: string[]) => [...document.querySelectorAll('#quote-rows td.price')].some((c, i) => c.textContent !== was[i]), { timeout: 30_000 }, before);

    const rows = await page.$$eval('#quote-rows tr', (trs) =>
      trs.map((tr) => {
        const cells = tr.querySelectorAll('td');
        return { change: cells[2]!.textContent ?? '', colour: getComputedStyle(cells[1]!).color, time: cells[6]!.textContent ?? '' };
      }),
    );
    for (const row of rows) {
      expect(row.colour, JSON.stringify(row)).toBe(row.change.startsWith('▲') ? UP : row.change.startsWith('▼') ? DOWN : 'rgb(29, 35, 48)');
      expect(row.time).toMatch(/^\d\d:\d\d:\d\d$/);
    }
    expect(rows.some((r) => r.change !== '0')).toBe(true);

    const clock = /^(\d\d):(\d\d):(\d\d) KST$/.exec(await text('#clock'));
    expect(clock).not.toBeNull();
    const shown = Number(clock![1]) * 3600 + Number(clock![2]) * 60 + Number(clock![3]);
    const apart = Math.abs(shown - kstSeconds(Date.now()));
    expect(Math.min(apart, 86_400 - apart)).toBeLessThan(5);
  });

  it('places an order from the ticket and cancels it from the open orders', async () => {
    await page.click('#quote-rows tr[data-code="005930"] td.name');
    expect(await page.$eval('#order-form input[name="code"]', (el) => el.value)).toBe('005930');
    const quoted = Number((await page.$eval('#order-form input[name="price"]', (el) => el.value)) || NaN);
    expect(quoted).toBeGreaterThan(0);
    const low = Math.floor((quoted * 0.8) / 100) * 100;
    await page.$eval('#order-form input[name="price"]', (el) => (el.value = ''));
    await page.type('#order-form input[name="price"]', String(low));
    await page.$eval('#order-form input[name="qty"]', (el) => (el.value = ''));
    await page.type('#order-form input[name="qty"]', '2');
    const sent = ledger().length;
    await page.click('#order-submit');
    await page.waitForFunction(() => /주문번호 \d+/.test(document.getElementById('order-result')?.textContent ?? ''));
    const orderNo = /주문번호 (\d+)/.exec(await text('#order-result'))![1]!;
    expect(ledger().slice(sent)).toEqual([expect.objectContaining({ ordNo: orderNo, apiId: 'kt10000', code: '005930', qty: 2, price: low })]);

    const row = `#order-rows tr[data-order="${orderNo}"]`;
    await page.waitForSelector(row);
    expect(await page.$eval(row, (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([orderNo, '삼성전자005930', '매수', low.toLocaleString('en-US'), '2', '2', '취소']);
    await page.waitForFunction((no: string) => [...document.querySelectorAll('#event-list li')].some((li) => li.textContent?.includes('접수') && li.textContent.includes(no)), {}, orderNo);

    await page.click(`${row} button.cancel`);
    await page.waitForSelector(row, { hidden: true });
    const cancel = ledger().slice(sent + 1);
    expect(cancel).toEqual([expect.objectContaining({ apiId: 'kt10003', origOrdNo: orderNo })]);
    expect(await text('#order-result')).toMatch(new RegExp(`주문 ${orderNo} 취소 접수 · 주문번호 \\d+`));
    await page.waitForFunction((no: string) => [...document.querySelectorAll('#event-list li')].some((li) => li.textContent?.includes('확인') && li.textContent.includes(no)), {}, orderNo);
  });

  it('saves a screenshot that shows a page, not a blank', async () => {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    const image = decodePng(readFileSync(SCREENSHOT));
    expect([image.width, image.height]).toEqual([1280, 860]);
    const { distinct, commonest } = colourStats(image);
    // Text, tables and coloured figures: hundreds of colours, and no one colour over most of it.
    expect(distinct).toBeGreaterThan(300);
    expect(commonest).toBeLessThan(0.6);
  });
});
