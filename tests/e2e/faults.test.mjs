// Faults (issue 9), with the real extension (dist/) in Chromium: the service worker stopped in the
// middle of a registration, an assertion, an import and a password change; IndexedDB writes
// failing as over quota; a damaged vault record. After each:
//   - the user or page gets a clear error, named here;
//   - the last good vault is kept: opened HERE from the stored envelope with node:crypto and the
//     session key (lib/faults.mjs), not by our code, or unlocked with the password;
//   - no counter goes back: every assertion a page got verifies at the fixture relying party
//     (py_webauthn) in counter order, and the stored counter ceiling covers every one given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { url, waitForResult } from './lib/browser.mjs';
import { startExtension, answerPrompt, PASSWORD } from './lib/extension-session.mjs';
import { pagesInOwnWindows } from './lib/windows.mjs';
import { counterOf, stopWorker, failVaultWrites, writeStoredRecords, damaged, storedVault, signInOn } from './lib/faults.mjs';

const NEW_PASSWORD = 'a different horse, battery and staple';
const SIGNIN_PAGES = 4; // silent signing allows 12 a minute per tab: spread the sign-ins
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let session;
let server;
let context;
let control;
let ui;
let signinPages;
const signinUses = [];
const given = []; // every counter a page was given, in this file
let maxVerified = 0;

/** What is stored: the records, and the contents opened independently with the session key. */
const stored = () => storedVault(control);

/** The stored counter ceiling of the one security key registered in `before`. */
const ceiling = (contents) => Math.max(...contents.securityKeys.map((k) => k.signCount));

/** One silent sign-in from the least used sign-in window; `{ok, credential}` or `{ok: false, name, message}`. */
function signInOnce() {
  const i = signinUses.indexOf(Math.min(...signinUses));
  signinUses[i]++;
  return signInOn(signinPages[i]);
}

/** Verifies assertions at the relying party in counter order, each above every one before. */
async function verifyAll(credentials, where) {
  for (const credential of [...credentials].sort((a, b) => counterOf(a) - counterOf(b))) {
    const counter = counterOf(credential);
    assert.ok(!given.includes(counter), `${where}: counter ${counter} was given before`);
    given.push(counter);
    const verdict = await server.request('POST', '/api/signin/verify', { credential });
    assert.ok(verdict.ok, `${where}: counter ${counter} refused by the relying party: ${verdict.error}`);
    assert.ok(verdict.newSignCount > maxVerified, `${where}: counter ${verdict.newSignCount} after ${maxVerified}`);
    maxVerified = verdict.newSignCount;
  }
}

/** A sign-in that must work now, verified at the relying party above every counter given. */
async function signInWorks(where) {
  const r = await signInOnce();
  assert.ok(r.ok, `${where}: sign-in failed: ${r.name}: ${r.message}`);
  await verifyAll([r.credential], where);
}

/** Registers a key through the IAM page and the consent window; returns the page's result. */
async function openRegistration(user = 'alice') {
  const page = await context.newPage();
  const consent = context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 });
  await page.goto(url('console.aws.amazon.com', `/iam/home?user=${user}#/security_credentials`));
  await page.click('#next');
  return { page, consent: await consent };
}

before(async () => {
  session = await startExtension();
  ({ server, control, ui } = session);
  context = session.browser.context;
  const { page, consent } = await openRegistration();
  await answerPrompt(consent, /^Register/);
  const registered = await waitForResult(page);
  assert.equal(registered.status, 'ok', registered.text);
  await page.close();
  signinPages = await pagesInOwnWindows(context, control, SIGNIN_PAGES, (i) => url('signin.aws.amazon.com', `/?auto=0&tab=${i}`));
  signinUses.push(...signinPages.map(() => 0));
  await signInWorks('first sign-in');
});

after(() => session?.close());

// First: the fault is injected through Playwright's handle of the first worker instance.
test('IndexedDB writes over quota: StorageError to the UI, UnknownError to a page, vault and counters kept, nothing failed reaches storage later', async (t) => {
  // The first worker instance: Playwright's handle of it is live until the first stop.
  const worker = session.worker;
  const before = await stored();
  const fault = await failVaultWrites(worker);

  // Sign-ins go on within the stored counter reservation; the one that needs a write is refused.
  const signed = [];
  let refused = null;
  for (let i = 0; i < 20 && !refused; i++) {
    const r = await signInOnce();
    if (r.ok) signed.push(r.credential);
    else refused = r;
  }
  assert.ok(refused, 'no sign-in needed a write in 20');
  assert.equal(refused.name, 'UnknownError', refused.message);
  assert.match(refused.message, /could not save the vault/);
  await assert.rejects(ui('totp.add', { text: 'otpauth://totp/Test:quota?secret=JBSWY3DPEHPK3PXP&issuer=Test', label: 'quota' }),
    (e) => e.name === 'StorageError' && /could not save the vault \(QuotaExceededError/.test(e.message));
  await assert.rejects(ui('vault.changePassword', { oldPassword: PASSWORD, newPassword: NEW_PASSWORD }),
    (e) => e.name === 'StorageError');
  await verifyAll(signed, 'sign-ins while writes fail');
  assert.ok(ceiling(before.contents) >= Math.max(...given), 'a counter above the stored ceiling was given out');
  assert.ok(await fault.count() >= 3, `writes failed: ${await fault.count()}`);
  assert.equal((await stored()).vault, before.vault, 'the stored vault changed while writes failed');
  t.diagnostic(`${signed.length} sign-ins within the reservation, then ${refused.name}: ${refused.message}`);

  // Space again: the next write stores what the user was told worked, and only that (not the
  // password change reported as failed, nor the entry).
  await fault.restore();
  await ui('totp.add', { text: 'otpauth://totp/Test:after?secret=JBSWY3DPEHPK3PXQ&issuer=Test', label: 'after-quota' });
  const labels = (await stored()).contents.totp.map((e) => e.label);
  assert.ok(labels.includes('after-quota') && !labels.includes('quota'), JSON.stringify(labels));
  await ui('vault.lock');
  await assert.rejects(ui('vault.unlock', { password: NEW_PASSWORD }), { name: 'WrongPassword' });
  await ui('vault.unlock', { password: PASSWORD });

  // Locking locks even when its last write fails (the auto-lock alarm runs the same code).
  const again = await failVaultWrites(worker);
  await ui('totp.update', { id: (await ui('totp.list')).find((e) => e.label === 'after-quota').id, label: 'x' }).catch(() => {});
  assert.equal((await ui('vault.lock')).state, 'locked');
  assert.equal((await ui('vault.status')).state, 'locked');
  await again.restore();
  await ui('vault.unlock', { password: PASSWORD });
  await signInWorks('after the quota fault');
});

test('worker stopped while a registration waits for consent: the page gets NotAllowedError, the vault is unchanged', async () => {
  const before = await stored();
  const { page, consent } = await openRegistration('bob');
  await stopWorker(context);
  const result = await waitForResult(page);
  assert.equal(result.errorName, 'NotAllowedError', result.text);
  assert.match(result.text, /timed out or was not allowed/);
  await consent.close().catch(() => {});
  await page.close();
  assert.equal((await ui('vault.status')).state, 'unlocked');
  const after = await stored();
  assert.equal(after.vault, before.vault, 'a registration nobody approved changed the stored vault');
  await signInWorks('after the stop');
});

test('worker stopped as a registration is approved: a key the page got is stored; the vault opens', async (t) => {
  const before = await stored();
  const { page, consent } = await openRegistration('carol');
  await answerPrompt(consent, /^Register/);
  await stopWorker(context);
  const result = await waitForResult(page);
  assert.equal((await ui('vault.status')).state, 'unlocked');
  const after = await stored();
  const keys = after.contents.securityKeys;
  if (result.status === 'ok') {
    // Stored before the page had its answer (README, "Nothing is lost").
    assert.equal(keys.length, before.contents.securityKeys.length + 1, 'the page got a key that is not stored');
  } else {
    assert.equal(result.errorName, 'NotAllowedError', result.text);
    // Cut off before or after the write: an unused key may be left, never a broken vault.
    assert.ok(keys.length - before.contents.securityKeys.length <= 1);
  }
  t.diagnostic(`page: ${result.status} ${result.errorName ?? ''}; stored keys ${before.contents.securityKeys.length} → ${keys.length}`);
  await page.close();
  await signInWorks('after the stop');
});

test('worker stopped in the middle of assertions: cut-off ones get NotAllowedError, no counter goes back', async (t) => {
  const outcomes = [];
  for (const delay of [5, 20, 40, 70, 100, 140]) {
    // Each sign-in wakes a stopped worker, which starts the wasm before it can sign: the stop
    // `delay` ms after it started lands somewhere in that start or in the assertion.
    await stopWorker(context);
    const pending = signInOnce();
    await stopWorker(context, { afterStartMs: delay });
    outcomes.push(await pending);
    await ui('vault.status'); // wakes the next instance
  }
  const ok = outcomes.filter((r) => r.ok).map((r) => r.credential);
  for (const r of outcomes.filter((o) => !o.ok)) {
    assert.equal(r.name, 'NotAllowedError', `${r.name}: ${r.message}`);
  }
  t.diagnostic(`${ok.length} of ${outcomes.length} signed before the stop, the rest cut off`);
  await verifyAll(ok, 'assertions around a stop');
  const { contents } = await stored();
  assert.ok(ceiling(contents) >= Math.max(...given), `stored ceiling ${ceiling(contents)} < given ${Math.max(...given)}`);
  await signInWorks('after the stops');
});

test('worker stopped during an import: the export page says "SoftKey did not answer"; all entries or none are stored', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'softkey-faults-'));
  const labels = ['import-a', 'import-b', 'import-c'];
  const file = path.join(dir, 'codes.txt');
  writeFileSync(file, labels.map((l, i) => `otpauth://totp/Test:${l}?secret=${'JBSWY3DPEHPK3PX'}${'ABCDEFG'[i]}&issuer=Test`).join('\n') + '\n');
  const before = await stored();
  const count = (contents) => labels.filter((l) => contents.totp.some((e) => e.label.includes(l) || e.account === l)).length;
  assert.equal(count(before.contents), 0);

  const page = await context.newPage();
  await page.goto(`chrome-extension://${session.extensionId}/extension/ui/export.html`);
  await page.setInputFiles('#import-file', file);
  await page.click('#preview-button');
  await page.waitForSelector('#preview h2');
  // The import then wakes a new worker that must start the wasm and the transfer module first:
  // the second stop lands during the import, not after it.
  await stopWorker(context);
  await page.click('#import-button');
  await stopWorker(context);
  await page.waitForSelector('#import-result:not([hidden]), #import-error:not([hidden])');
  const error = await page.locator('#import-error').textContent();
  const shown = await page.locator('#import-result').textContent();
  assert.equal((await ui('vault.status')).state, 'unlocked');
  const after = await stored();
  const n = count(after.contents);
  t.diagnostic(`export page: ${JSON.stringify(error || shown)}; ${n} of ${labels.length} entries stored`);
  if (error) assert.equal(error, 'SoftKey did not answer. Close this window and try again.');
  else assert.equal(n, labels.length, 'the page reported an import that is not stored');
  assert.ok(n === 0 || n === labels.length, `a partial import was stored: ${n} of ${labels.length}`);
  assert.equal(after.contents.securityKeys.length, before.contents.securityKeys.length);

  // Trying again (a fresh page) imports what is missing.
  await page.reload();
  await page.setInputFiles('#import-file', file);
  await page.click('#preview-button');
  await page.waitForSelector('#preview h2');
  if (await page.locator('#import-button').isEnabled()) {
    await page.click('#import-button');
    await page.waitForSelector('#import-result:not([hidden]), #import-error:not([hidden])');
  }
  const final = (await stored()).contents;
  for (const l of labels) {
    assert.equal(final.totp.filter((e) => e.label.includes(l) || e.account === l).length, 1, `${l} imported twice or not at all`);
  }
  await page.close();
  await signInWorks('after the import');
});

test('worker stopped during a password change: no answer (NoAnswer in the UI), the old password still opens the vault', async (t) => {
  const before = await stored();
  const reply = control.evaluate(([o, n]) => chrome.runtime.sendMessage({ type: 'vault.changePassword', oldPassword: o, newPassword: n })
    .catch(() => null), [PASSWORD, NEW_PASSWORD]);
  // Argon2id (64 MiB, twice: the old password checked, the new one derived) takes far longer.
  await sleep(150);
  await stopWorker(context);
  const answer = await reply;
  const after = await stored();
  if (answer === null) {
    assert.equal(after.vault, before.vault, 'a password change nobody was told about was stored');
    await ui('vault.lock');
    await assert.rejects(ui('vault.unlock', { password: NEW_PASSWORD }), { name: 'WrongPassword' });
    await ui('vault.unlock', { password: PASSWORD });
  } else {
    // The stop came too late to cut it off: then the new password is the one.
    assert.equal(answer.ok, true, JSON.stringify(answer));
    await ui('vault.lock');
    await ui('vault.unlock', { password: NEW_PASSWORD });
    await ui('vault.changePassword', { oldPassword: NEW_PASSWORD, newPassword: PASSWORD });
  }
  t.diagnostic(`reply: ${JSON.stringify(answer)}`);
  assert.deepEqual((await stored()).contents.securityKeys.map((k) => k.id), before.contents.securityKeys.map((k) => k.id));
  await signInWorks('after the password change');
});

test('a damaged vault record: restored from its copy with a notice; both damaged: VaultCorrupted, records left as they were', async (t) => {
  const good = await stored();
  await writeStoredRecords(control, { vault: damaged(good.vault) });
  await stopWorker(context);
  const status = await ui('vault.status');
  assert.equal(status.state, 'unlocked', 'one damaged record lost the vault');
  assert.match(status.notice ?? '', /damaged.*restored it from its second copy/);
  assert.equal((await stored()).vault, good.vault, 'the damaged record was not rewritten from the copy');
  await signInWorks('after the repair');
  t.diagnostic(`notice: ${status.notice}`);

  // Both copies damaged (the whole value store rotten): a clear error, and nothing overwritten,
  // so a repaired disk or a backup can still bring it back.
  const latest = await stored();
  const bad = damaged(latest.vault);
  await writeStoredRecords(control, { vault: bad, vaultCopy: bad });
  await stopWorker(context);
  assert.equal((await ui('vault.status')).state, 'locked');
  await assert.rejects(ui('vault.unlock', { password: PASSWORD }),
    (e) => e.name === 'VaultCorrupted' && /damaged/.test(e.message) && /backup/.test(e.message));
  const left = await stored();
  assert.equal(left.vault, bad);
  assert.equal(left.vaultCopy, bad);
  // The good records back (as from a backup of the profile): it opens, counters go on above.
  await writeStoredRecords(control, { vault: latest.vault, vaultCopy: latest.vault });
  await stopWorker(context);
  await ui('vault.unlock', { password: PASSWORD });
  await signInWorks('after the records came back');
});
