// Amazon.com two-step verification setup ("add an authenticator app") with the real extension:
// "Add to SoftKey" stores the app and fills one code that the fixture server accepts (pyotp,
// one step either way); the stored entry then answers Amazon.com's OTP sign-in prompt. The
// worker accepts the capture only from https://www.amazon.com/a/settings/approval/..., and a
// look-alike host gets no button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { url, waitForResult, screenshot, contentScriptWorlds, waitForContentScript, loadedAndIdle } from './lib/browser.mjs';
import { startExtension } from './lib/extension-session.mjs';
import { totpAt } from './lib/totp-reference.mjs';
import { attachMfaHandlers, senderSite } from '../../extension/background/mfa-handlers.js';

const SETUP_PATH = '/a/settings/approval/setup/register';

let session;
let server;
let browser;
let control;
let ui;

before(async () => {
  session = await startExtension();
  ({ server, browser, control, ui } = session);
});

after(() => session?.close());

test('worker: the Amazon.com capture is accepted only from www.amazon.com/a/settings/approval/ over https', async () => {
  let listener;
  const runtime = { id: 'ext', onMessage: { addListener: (fn) => { listener = fn; } } };
  let touched = 0;
  const session = {
    state: async () => { touched++; return 'unlocked'; },
    read: async () => { touched++; throw new Error('not here'); },
    mutate: async () => { touched++; throw new Error('not here'); },
  };
  const { stats } = attachMfaHandlers(session, { runtime, storage: {} });
  const send = (message, sender) => {
    let answered = false;
    const keep = listener(message, sender, () => { answered = true; });
    return { answered, keep };
  };
  const tab = { id: 1 };
  const message = { type: 'mfa.amazonCapture', secret: 'A'.repeat(52), email: 'a@example.com' };
  const forged = [
    { url: 'https://www.amazon.com.example.test/a/settings/approval/setup', origin: 'https://www.amazon.com.example.test' },
    { url: 'https://amazon.com/a/settings/approval/setup', origin: 'https://amazon.com' },
    { url: 'https://smile.amazon.com/a/settings/approval/setup', origin: 'https://smile.amazon.com' },
    { url: 'http://www.amazon.com/a/settings/approval/setup', origin: 'http://www.amazon.com' },
    { url: 'https://www.amazon.com:8443/a/settings/approval/setup', origin: 'https://www.amazon.com:8443' },
    { url: 'https://www.amazon.com/ap/mfa', origin: 'https://www.amazon.com' }, // the sign-in prompt, not the setup
    { url: 'https://www.amazon.com/a/settings/approvalx/setup', origin: 'https://www.amazon.com' },
    { url: 'https://www.amazon.com/gp/a/settings/approval/', origin: 'https://www.amazon.com' },
    { url: 'https://www.amazon.com/a/settings/approval/setup', origin: 'https://evil.example' }, // origin and URL disagree
    { url: 'https://console.aws.amazon.com/iam', origin: 'https://console.aws.amazon.com' },
  ].map((s) => ({ id: 'ext', tab, ...s }));
  forged.push({ id: 'other', tab, url: 'https://www.amazon.com/a/settings/approval/setup', origin: 'https://www.amazon.com' });
  forged.push({ id: 'ext', url: 'https://www.amazon.com/a/settings/approval/setup', origin: 'https://www.amazon.com' }); // no tab
  for (const sender of forged) {
    assert.deepEqual(send(message, sender), { answered: false, keep: false }, JSON.stringify(sender));
  }
  assert.equal(stats.refused, forged.length);
  // From the setup page, the IAM capture and the sign-in code are refused too.
  const real = { id: 'ext', tab, url: 'https://www.amazon.com/a/settings/approval/setup/register?x=1', origin: 'https://www.amazon.com' };
  assert.equal(senderSite(real).kind, 'amazonSetup');
  assert.deepEqual(send({ type: 'mfa.code', email: 'a@example.com' }, real), { answered: false, keep: false });
  assert.deepEqual(send({ type: 'mfa.capture', secret: 'A'.repeat(64), deviceName: 'x' }, real), { answered: false, keep: false });
  // Malformed: answered at once, before the vault is touched.
  for (const bad of [{ secret: 'not base32!' }, { secret: 'ABCD' }, { secret: 'A'.repeat(52), email: 42 }]) {
    assert.deepEqual(send({ type: 'mfa.amazonCapture', ...bad }, real), { answered: true, keep: false }, JSON.stringify(bad));
  }
  assert.equal(touched, 0);
  assert.equal(send(message, real).keep, true);
});

test('worker, real core: with under 3 s left the page is told to wait for the next step, never given a code of the future', async () => {
  // The handler and the wasm core run in an extension page with a fixed clock; the expected
  // codes come from the independent RFC 6238 implementation in lib/totp-reference.mjs.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA';
  const stepStart = 1_900_000_020; // a multiple of 30
  for (const [into, next] of [[0, false], [26.9, false], [27.05, true], [28.5, true], [29.9, true]]) {
    const nowMs = Math.round((stepStart + into) * 1000);
    const answer = await control.evaluate(async ({ secret, nowMs }) => {
      const wasm = await import('/wasm/softkey.js');
      await wasm.default();
      const { attachMfaHandlers } = await import('/extension/background/mfa-handlers.js');
      const k = wasm.Keyring.create('pw', { mCostKib: 19456, tCost: 2, pCost: 1 }, nowMs);
      const session = {
        state: async () => 'unlocked',
        read: async (fn) => fn(k),
        mutate: async (fn) => fn(k).result,
      };
      let listener;
      const runtime = { id: 'x', onMessage: { addListener: (fn) => { listener = fn; } } };
      attachMfaHandlers(session, { runtime, storage: {}, now: () => nowMs });
      const sender = { id: 'x', tab: { id: 1 }, url: 'https://www.amazon.com/a/settings/approval/setup', origin: 'https://www.amazon.com' };
      const grouped = secret.match(/.{1,4}/g).join(' ');
      const ask = (email) => new Promise((resolve) => listener({ type: 'mfa.amazonCapture', secret: grouped, email }, sender, resolve));
      // Not an e-mail address: the core refuses it, and stores nothing.
      const refused = await ask('no-at-sign');
      return { ...(await ask('Root@Example.com')), refused, stored: k.totpCodes(nowMs).length };
    }, { secret, nowMs });
    assert.equal(answer.refused?.error?.kind, 'badRequest', JSON.stringify(answer.refused));
    assert.equal(answer.stored, 1);
    assert.equal(answer.label, 'Amazon.com (root@example.com)');
    if (next) {
      // The wait ends just after the next step begins; then mfa.captureCodes answers its code.
      assert.equal(answer.code, undefined, `${into} s into the step: ${JSON.stringify(answer)}`);
      const untilNext = Math.round((30 - into) * 1000);
      assert.ok(answer.wait >= untilNext && answer.wait <= untilNext + 500, JSON.stringify(answer));
    } else {
      assert.equal(answer.code, totpAt(secret, stepStart), `${into} s into the step: ${JSON.stringify(answer)}`);
    }
  }
});

test('Amazon.com 2SV setup: "Add to SoftKey" fills one code the server accepts; the entry then signs in on /ap/', async () => {
  const email = 'root-owner@example.com';
  const page = await browser.context.newPage();
  await page.goto(url('www.amazon.com', `${SETUP_PATH}?email=${encodeURIComponent(email)}`));
  const before = Date.now() / 1000;
  await page.getByRole('button', { name: 'Add to SoftKey' }).click();
  await page.waitForFunction(() => /^\d{6}$/.test(document.getElementById('ch-auth-app-code-input').value), null, { timeout: 10000 });
  const after = Date.now() / 1000;
  assert.ok(await page.isVisible('#sia-auth-app-formatted-secret'), 'the key was revealed through "Can\'t scan the barcode?"');
  const shown = await page.textContent('#sia-auth-app-formatted-secret');
  assert.match(shown, /^(?:[A-Z2-7]{4} ){12}[A-Z2-7]{4}$/, 'the page shows 52 characters in groups of four');
  const secret = shown.replace(/ /g, '');
  const code = await page.inputValue('#ch-auth-app-code-input');
  // The code of the moment it was made, or the next one if that had under 3 s left.
  const fits = [before, after].flatMap((t) => [totpAt(secret, t), totpAt(secret, t + 30)]);
  assert.ok(fits.includes(code), `code ${code} is not one of ${fits}`);
  assert.match(await page.locator('softkey-amazon-capture').evaluate((el) => el.shadowRoot.textContent), /Added to SoftKey as "Amazon\.com \(root-owner@example\.com\)"/);
  assert.equal(await page.evaluate(() => window.__otpSubmits), 0, 'the user presses the button, not SoftKey');
  await screenshot(page, 'amazon-2sv-capture');
  await page.click('#ch-auth-app-submit');
  const verified = await waitForResult(page);
  assert.equal(verified.status, 'ok', verified.text);
  const { devices } = await server.request('GET', '/__test/mfa/devices');
  assert.equal(devices[`amazon/${email}`]?.secret, secret);
  const entry = (await ui('totp.list')).find((e) => e.issuer === 'Amazon');
  assert.equal(entry?.account, email, JSON.stringify(entry));
  assert.equal(entry.label, `Amazon.com (${email})`);

  // The sign-in prompt on /ap/mfa: the e-mail typed on the first page picks this entry.
  await page.goto(url('www.amazon.com', '/ap/mfa-email'));
  await page.fill('#ap_email', email);
  await page.click('#signInSubmit');
  await page.waitForURL('**/ap/mfa');
  const signedIn = await waitForResult(page);
  assert.equal(signedIn.status, 'ok', signedIn.text);
  assert.equal(signedIn.detail.email, email);
  await page.close();
});

test('pressed twice: the stored entry is reused, not duplicated', async () => {
  const page = await browser.context.newPage();
  await page.goto(url('www.amazon.com', `${SETUP_PATH}?email=twice@example.com`));
  const button = page.getByRole('button', { name: 'Add to SoftKey' });
  await button.click();
  await page.waitForFunction(() => /^\d{6}$/.test(document.getElementById('ch-auth-app-code-input').value), null, { timeout: 10000 });
  const count = async () => (await ui('totp.list')).filter((e) => e.account === 'twice@example.com').length;
  assert.equal(await count(), 1);
  // A reload shows the same page; the button is offered again and must not add a second entry.
  // (The fixture makes a new key per load, so this is the same key only within one load.)
  await page.evaluate(() => { document.getElementById('ch-auth-app-code-input').value = ''; document.querySelector('softkey-amazon-capture').remove(); });
  await page.getByRole('button', { name: 'Add to SoftKey' }).click();
  await page.waitForFunction(() => /^\d{6}$/.test(document.getElementById('ch-auth-app-code-input').value), null, { timeout: 10000 });
  assert.equal(await count(), 1);
  await page.close();
});

test('look-alike host and other Amazon.com pages: no button, nothing sent', async () => {
  const ids = async () => (await ui('totp.list')).map((e) => e.id).sort();
  const before = await ids();
  const pages = await Promise.all([1, 2].map(() => browser.context.newPage()));
  await pages[0].goto(url('www.amazon.com.example.test', SETUP_PATH));
  await pages[1].goto(url('www.amazon.com', '/ap/mfa')); // a real Amazon.com page without the setup step
  /** Whether a SoftKey content script runs in the page at all. */
  const softKeyRuns = async (p) => {
    const { worlds, close } = await contentScriptWorlds(p);
    await close();
    return worlds.length > 0;
  };
  // The look-alike: loaded and idle (document_idle scripts have run by then), and none of ours.
  await loadedAndIdle(pages[0]);
  assert.equal(await softKeyRuns(pages[0]), false, 'a SoftKey content script runs on the look-alike');
  // The sign-in page: its document_idle scripts (mfa-fill.js after page-fields.js) have run, so
  // amazon-capture.js would have too, and scanned as it started.
  await waitForContentScript(pages[1], 'typeof globalThis.SoftKeyPageFields === "object"');
  for (const p of pages) {
    assert.equal(await p.locator('softkey-amazon-capture').count(), 0, p.url());
  }
  // The look-alike's own "Can't scan" still works for the user; SoftKey just stays out of it.
  await pages[0].click('#sia-auth-app-cant-scan-link');
  await pages[0].locator('#sia-auth-app-formatted-secret-box').waitFor({ state: 'visible' });
  assert.equal(await softKeyRuns(pages[0]), false);
  assert.equal(await pages[0].locator('softkey-amazon-capture').count(), 0);
  assert.deepEqual(await ids(), before);
  await Promise.all(pages.map((p) => p.close()));
});
