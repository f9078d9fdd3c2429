// Clearing the clipboard after a code is copied from the popup, with the real extension in
// Chromium: the popup tells the worker, the worker keeps the deadline (timer + chrome.alarms) and
// an offscreen document clears the clipboard only if it still holds our code. The clipboard is
// read by the test from an ordinary page granted clipboard-read, never through our code; the
// copied code is checked against the independent RFC 6238 implementation.
//
// The delay is the vault setting clearClipboardSeconds; the fast cases use its lower bound (3 s),
// and one case waits the default 30 s with the popup closed and the worker stopped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { extensionWorker, url, stopAllServiceWorkers } from './lib/browser.mjs';
import { startExtension } from './lib/extension-session.mjs';
import { totpAt } from './lib/totp-reference.mjs';
import { validateUiRequest, validOffscreenRequest } from '../../extension/shared/ui-api.js';

const READER_ORIGIN = 'https://www.example.test';
const FAST_SECONDS = 3; // Settings::CLEAR_CLIPBOARD_SECONDS' lower bound (wasm/core)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let session;
let browser;
let extensionId;
let ui; // the UI API, called from an extension page
let reader; // an ordinary web page that reads the clipboard
let secret;

async function clipboardText() {
  await reader.bringToFront();
  return reader.evaluate(() => navigator.clipboard.readText());
}

async function userCopies(text) {
  await reader.bringToFront();
  await reader.evaluate((t) => navigator.clipboard.writeText(t), text);
}

async function setSettings(patch) {
  await ui('settings.set', { settings: { ...(await ui('settings.get')), ...patch } });
}

/**
 * Opens the popup (as a tab), clicks the entry's code; returns the page and the code copied.
 * `toast`: the words the popup must show, which name the delay only when clearing is on.
 */
async function copyFromPopup(toast = `Copied · clears in ${FAST_SECONDS} s`) {
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/extension/ui/popup.html`);
  const button = popup.locator('#codes li.entry button.code').first();
  await button.waitFor();
  // Not in the last second of a step, so the code on screen is the one copied.
  await popup.waitForFunction(() => Date.now() % 30000 < 28500);
  // Before the click: the popup's own copy time is no earlier, so "not before N s" holds from here.
  const copiedAt = Date.now();
  const t = copiedAt / 1000;
  await button.click();
  await popup.locator('#toast.show', { hasText: 'Copied' }).waitFor();
  assert.equal(await popup.locator('#toast').innerText(), toast);
  const code = await clipboardText();
  assert.ok([totpAt(secret, t), totpAt(secret, t + 30)].includes(code), `the clipboard holds ${JSON.stringify(code)}`);
  return { popup, code, copiedAt };
}

async function stats() {
  const worker = await extensionWorker(browser.context);
  return worker.evaluate(() => ({ ...globalThis.softkeyClipboardStats }));
}

/** Polls the clipboard until `want` or the deadline; returns the last text read. */
async function clipboardBecomes(want, ms) {
  const end = Date.now() + ms;
  let text;
  do {
    text = await clipboardText();
    if (text === want) return text;
    await sleep(200);
  } while (Date.now() < end);
  return text;
}

before(async () => {
  session = await startExtension();
  ({ browser, extensionId, ui } = session);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: READER_ORIGIN });
  secret = Array.from(randomBytes(32), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b & 31]).join('');
  await ui('totp.add', { text: secret, label: 'Clipboard test' });
  reader = await browser.context.newPage();
  await reader.goto(url('www.example.test', '/blank'));
});

after(() => session?.close());

test('messages: clipboard.copied and the offscreen request are validated', () => {
  assert.equal(validateUiRequest({ type: 'clipboard.copied', code: '123456', copiedAt: 1 }), null);
  for (const bad of [{ code: 123456, copiedAt: 1 }, { code: 'abcdef', copiedAt: 1 }, { code: '12', copiedAt: 1 },
    { code: '123456' }, { code: '123456', copiedAt: Number.NaN }, { code: '123456', copiedAt: -5 }]) {
    assert.notEqual(validateUiRequest({ type: 'clipboard.copied', ...bad }), null, JSON.stringify(bad));
  }
  assert.equal(validOffscreenRequest({ type: 'offscreen.clearClipboard', code: '12345678' }), true);
  assert.equal(validOffscreenRequest({ type: 'offscreen.clearClipboard', code: 'secret text' }), false);
  assert.equal(validOffscreenRequest({ type: 'clipboard.copied', code: '123456' }), false);
});

test('settings: on by default after 30 s; the delay is bounded to 3..600 s', async () => {
  const settings = await ui('settings.get');
  assert.equal(settings.clearClipboard, true);
  assert.equal(settings.clearClipboardSeconds, 30);
  for (const seconds of [2, 601]) {
    await assert.rejects(setSettings({ clearClipboardSeconds: seconds }), { name: 'BadRequest' });
  }
  await setSettings({ clearClipboardSeconds: FAST_SECONDS });
});

test('copied from the popup: the clipboard holds the code, then is empty after the delay', async () => {
  const before = await stats();
  const { popup, code, copiedAt } = await copyFromPopup();
  await popup.close(); // the popup closes when the user clicks into the page: it must not matter
  if (Date.now() - copiedAt < FAST_SECONDS * 1000 - 800) {
    assert.equal(await clipboardText(), code, 'not cleared early');
  }
  assert.equal(await clipboardBecomes('', FAST_SECONDS * 1000 + 5000), '');
  const s = await stats();
  assert.ok(Date.now() - copiedAt >= FAST_SECONDS * 1000 - 100);
  assert.equal(s.cleared, before.cleared + 1);
});

test('the user copied something else meanwhile: it is not wiped', async () => {
  const before = await stats();
  const { popup } = await copyFromPopup();
  await userCopies('a note the user copied');
  await popup.close();
  // Wait until the worker has looked, so "not wiped" does not merely mean "not yet".
  const end = Date.now() + FAST_SECONDS * 1000 + 5000;
  let s = await stats();
  while (s.changed === before.changed && Date.now() < end) {
    await sleep(200);
    s = await stats();
  }
  assert.equal(s.changed, before.changed + 1, JSON.stringify(s));
  assert.equal(s.cleared, before.cleared);
  assert.equal(await clipboardText(), 'a note the user copied');
});

test('the worker stopped right after the copy: the alarm wakes it and the clipboard is cleared', async () => {
  const { popup, code } = await copyFromPopup();
  await popup.close();
  assert.equal(await stopAllServiceWorkers(browser.context), 1);
  assert.equal(await clipboardText(), code);
  // The worker's own timer died with it; chrome.alarms (1 s granularity unpacked) restarts it.
  assert.equal(await clipboardBecomes('', FAST_SECONDS * 1000 + 8000), '');
});

test('the setting off (in the popup): nothing is wiped', async () => {
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/extension/ui/popup.html`);
  await popup.click('#tab-settings');
  const box = popup.locator('#set-clearclip');
  await box.waitFor();
  assert.equal(await box.isChecked(), true);
  assert.equal(await popup.textContent('#set-clearclip-seconds'), String(FAST_SECONDS));
  await box.setChecked(false);
  await popup.locator('#toast.show', { hasText: 'Saved' }).waitFor();
  assert.equal((await ui('settings.get')).clearClipboard, false);
  await popup.close();
  const before = await stats();
  const { popup: again, code } = await copyFromPopup('Copied');
  await again.close();
  await sleep(FAST_SECONDS * 1000 + 2000);
  assert.equal(await clipboardText(), code);
  assert.deepEqual(await stats(), before);
  await setSettings({ clearClipboard: true });
});

test('the default 30 s, popup closed and worker stopped: cleared after 30 s, not before', async () => {
  await setSettings({ clearClipboardSeconds: 30 });
  const { popup, code, copiedAt } = await copyFromPopup('Copied · clears in 30 s');
  await popup.close();
  await stopAllServiceWorkers(browser.context);
  await sleep(Math.max(0, copiedAt + 26_000 - Date.now()));
  assert.equal(await clipboardText(), code, 'still there after 26 s');
  assert.equal(await clipboardBecomes('', 12_000), '');
  assert.ok(Date.now() - copiedAt >= 29_000);
});
