// The user-started "Fill MFA code from SoftKey" menu: its window (opened here with the parameters
// the worker puts in its URL on a menu click, since a native context menu cannot be clicked
// headless) types the chosen entry's code into the focused field, only on the site it named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { url } from './lib/browser.mjs';
import { startExtension } from './lib/extension-session.mjs';
import { totpAt, RFC_SECRET } from './lib/totp-reference.mjs';

let session;
let browser;
let extensionId;
let control;
let ui;

/** A page with one focused text field, and its tab id. */
async function pageWithField(path) {
  const page = await browser.context.newPage();
  await page.goto(url('signin.aws.amazon.com', path));
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.id = 'code';
    document.body.append(input);
    input.focus();
    window.__events = [];
    input.addEventListener('input', () => window.__events.push('input'));
  });
  const [tab] = await control.evaluate((u) => chrome.tabs.query({ url: u }), url('signin.aws.amazon.com', path));
  return { page, tabId: tab.id };
}

async function openFillWindow(tabId, origin) {
  const win = await browser.context.newPage();
  await win.goto(`chrome-extension://${extensionId}/extension/ui/fill.html?tab=${tabId}&frame=0&origin=${encodeURIComponent(origin)}`);
  return win;
}

before(async () => {
  session = await startExtension();
  ({ browser, extensionId, control, ui } = session);
  await ui('totp.add', { text: RFC_SECRET, label: 'Prod admin' });
  await ui('totp.add', { text: 'JBSWY3DPEHPK3PXP', label: 'Other site' });
});

after(() => session?.close());

test('the window names the site, and the chosen code is typed into the focused field', async () => {
  const { page, tabId } = await pageWithField('/blank?fill=1');
  const win = await openFillWindow(tabId, 'https://signin.aws.amazon.com');
  assert.equal(await win.locator('#fill-origin').textContent(), 'https://signin.aws.amazon.com');
  await win.fill('#fill-search', 'prod');
  assert.equal(await win.locator('#fill-list button').count(), 1, 'search narrows the list');
  const closed = win.waitForEvent('close');
  await win.locator('#fill-list button', { hasText: 'Prod admin' }).click().catch((e) => {
    if (!/closed/.test(e.message)) throw e;
  });
  await closed;
  const typed = await page.inputValue('#code');
  const now = Date.now() / 1000;
  const expected = [now - 30, now, now + 30].map((t) => totpAt(RFC_SECRET, t));
  assert.ok(expected.includes(typed), `${typed} is not the RFC secret's code around now (${expected})`);
  assert.deepEqual(await page.evaluate(() => window.__events), ['input'], 'the page saw typing');
  await page.close();
});

test('a frame that is no longer on the named site gets nothing', async () => {
  const { page, tabId } = await pageWithField('/blank?fill=2');
  const win = await openFillWindow(tabId, 'https://console.aws.amazon.com');
  await win.locator('#fill-list button', { hasText: 'Prod admin' }).click();
  await win.locator('#fill-error', { hasText: 'no longer on' }).waitFor();
  assert.equal(await page.inputValue('#code'), '', 'nothing was typed');
  await win.close();
  await page.close();
});
