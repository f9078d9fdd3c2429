// The popup's vault notice (issue 9, "Faults": a clear message, the last good vault kept), with
// the real extension (dist/) in Chromium. The stored vault record is damaged as bit rot would
// leave it (lib/faults.mjs `damaged`, the way faults.test.mjs does it), the worker stopped, and
// the popup opened: the worker opens the vault from its second copy, and the popup must say so
// once, above whichever view it shows, until "Got it". A healthy vault shows nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startExtension, PASSWORD } from './lib/extension-session.mjs';
import { stopWorker, writeStoredRecords, damaged } from './lib/faults.mjs';
import { POPUP_SIZE, screenshotThemes, overflowingElements } from './lib/ui-browser.mjs';

const SECRET = 'JBSWY3DPEHPK3PXP';
const LABEL = 'Kept through the repair';

let session;
let context;
const errors = [];

/** The stored 'vault' record, read from the extension's database by an extension page. */
function storedVault(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('softkey');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('vault', 'readonly').objectStore('vault').get('vault');
      request.onsuccess = () => { open.result.close(); resolve(request.result); };
      request.onerror = () => reject(request.error);
    };
  }));
}

/** Damages the stored vault record (not its copy) and stops the worker, so the next one reads it. */
async function damageVault() {
  const good = await storedVault(session.control);
  await writeStoredRecords(session.control, { vault: damaged(good) });
  assert.notEqual(await storedVault(session.control), good);
  await stopWorker(context);
  return good;
}

/** A new popup page, once it shows a view (the notice is decided in the same step). */
async function openPopup(view = '#view-main') {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.setViewportSize(POPUP_SIZE);
  await page.goto(`chrome-extension://${session.extensionId}/extension/ui/popup.html`);
  await page.locator(view).waitFor();
  return page;
}

/** What the notice says, or null when it is hidden. */
async function noticeOf(page) {
  if (!(await page.locator('#vault-notice').isVisible())) return null;
  return page.locator('#vault-notice').innerText();
}

before(async () => {
  session = await startExtension();
  context = session.browser.context;
  await session.ui('totp.add', { text: SECRET, label: LABEL });
});

after(() => session?.close());

test('a healthy vault: no notice, in the popup or the status', async () => {
  const popup = await openPopup();
  await popup.locator('#codes li.entry', { hasText: LABEL }).waitFor();
  assert.equal(await noticeOf(popup), null);
  assert.equal((await session.ui('vault.status')).notice, undefined);
  // Nor after the worker restarts on a vault that was never damaged.
  await stopWorker(context);
  await popup.reload();
  await popup.locator('#view-main').waitFor();
  assert.equal(await noticeOf(popup), null);
  await popup.close();
});

test('damaged vault record, worker restarted: the popup says it was restored from its copy, nothing lost, until "Got it"', async () => {
  const good = await damageVault();
  const popup = await openPopup();
  await popup.locator('#vault-notice').waitFor();
  const notice = await noticeOf(popup);
  // What happened, that nothing was lost, and what to do.
  assert.match(notice, /SoftKey repaired your vault/);
  assert.match(notice, /damaged.*restored it from its second copy/);
  assert.match(notice, /Nothing was lost/);
  assert.match(notice, /backup/);
  assert.equal(await popup.locator('#vault-notice').getAttribute('role'), 'alert');
  assert.equal(await popup.locator('#vault-notice a').getAttribute('href'), 'export.html');
  // Nothing was lost indeed: the entry is listed, and the record is the good one again.
  await popup.locator('#codes li.entry', { hasText: LABEL }).waitFor();
  assert.equal(await storedVault(session.control), good);
  await screenshotThemes(popup, 'popup-vault-notice');
  assert.deepEqual(await overflowingElements(popup), []);

  // Still said by a worker started since (not dismissed yet), and in a popup opened later.
  await stopWorker(context);
  const again = await openPopup();
  await again.locator('#vault-notice').waitFor();
  assert.match(await noticeOf(again), /restored it from its second copy/);
  await again.close();

  // "Got it": gone here, from the status, and from every popup after, across a worker restart.
  await popup.getByRole('button', { name: 'Got it' }).click();
  await popup.locator('#vault-notice').waitFor({ state: 'hidden' });
  assert.equal((await session.ui('vault.status')).notice, undefined);
  await stopWorker(context);
  const later = await openPopup();
  assert.equal(await noticeOf(later), null);
  await later.close();
  await popup.close();
});

test('damaged while locked: unlocking in the popup repairs it and then says so', async () => {
  await session.ui('vault.lock');
  await damageVault();
  const popup = await openPopup('#view-locked');
  assert.equal(await noticeOf(popup), null, 'nothing was opened yet, so nothing repaired');
  await popup.fill('#unlock-password', PASSWORD);
  await popup.keyboard.press('Enter');
  await popup.locator('#view-main').waitFor();
  await popup.locator('#vault-notice').waitFor();
  assert.match(await noticeOf(popup), /damaged.*restored it from its second copy.*Nothing was lost/s);
  await popup.locator('#codes li.entry', { hasText: LABEL }).waitFor();
  await popup.getByRole('button', { name: 'Got it' }).click();
  await popup.locator('#vault-notice').waitFor({ state: 'hidden' });
  await popup.close();
});

test('no page errors in the popups', () => {
  assert.deepEqual(errors, []);
});
