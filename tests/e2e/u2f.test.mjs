// The legacy FIDO U2F JavaScript API (window.u2f) answered by the real extension in Chromium:
// a key registered through u2f.register (after the consent window) is verified by
// python-fido2 on the fixture server, then signs both a U2F-era u2f.sign and a WebAuthn sign-in
// that uses the `appid` extension (verified by py_webauthn with rpIdHash = SHA-256(AppID)).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { url, waitForResult, screenshot, signInAgain } from './lib/browser.mjs';
import { startExtension, answerPrompt, PASSWORD } from './lib/extension-session.mjs';

const AWS_APPID = 'https://u2f.aws.amazon.com/app-id.json';
const ERR = { OTHER_ERROR: 1, BAD_REQUEST: 2, DEVICE_INELIGIBLE: 4 };

let session;
let server;
let browser;
let ui;

const consentWindows = () => browser.context.pages().filter((p) => p.url().includes('consent.html'));

/** Opens the legacy U2F page and presses its button; returns the page. */
async function startU2f(query, host = 'console.aws.amazon.com') {
  const page = await browser.context.newPage();
  await page.goto(url(host, `/u2f/legacy?${new URLSearchParams(query)}`));
  await page.click('#u2f-start');
  return page;
}

async function nextConsentWindow() {
  const win = await browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 });
  await win.waitForLoadState();
  await win.locator('#create:not([hidden]), #get:not([hidden])').waitFor();
  return win;
}

before(async () => {
  session = await startExtension();
  ({ server, browser, ui } = session);
});

after(() => session?.close());

test('u2f.register asks in the consent window; python-fido2 verifies the registration', async () => {
  const consent = nextConsentWindow();
  // api=1: a u2f-api.js-shaped script runs after ours and assigns u2f.register/sign itself.
  const page = await startU2f({ action: 'register', api: '1' });
  const win = await consent;
  // The caller is named by its own host (issue 9: never a name the page chose); the AppID is a fact below.
  assert.match(await win.locator('#create-title').textContent(),
    /^Register a software security key \(legacy U2F\) for console\.aws\.amazon\.com\?$/);
  assert.equal(await win.locator('dd[data-fact="appId"]').textContent(), AWS_APPID);
  assert.equal(await win.locator('#create [data-decision="fallback"]').isVisible(), false, 'no browser U2F to fall back to');
  await screenshot(win, 'consent-u2f-register');
  await answerPrompt(win, /^Register/);
  const result = await waitForResult(page);
  assert.equal(result.status, 'ok', result.text);

  // The page's own u2f-api.js ran to its end, yet its register/sign never replaced ours.
  assert.deepEqual(await page.evaluate(() => [window.__u2fApiShapeLoaded, window.__u2fApiShapeCalled,
    window.u2f.ErrorCodes.DEVICE_INELIGIBLE, window.u2f.EXTENSION_ID]),
  [true, undefined, 4, 'kmendfapggjehodndflmmgagdbamhnfd']);
  const [stored] = await server.api.credentials();
  assert.equal(stored.appid, AWS_APPID);
  assert.equal(stored.id, result.detail.credentialId);
  const keys = await ui('keys.list');
  assert.equal(keys.length, 1);
  assert.equal(keys[0].id, stored.id);
  assert.equal(keys[0].rpId, AWS_APPID);
  assert.equal(keys[0].madeWithU2f, true);
  assert.equal(keys[0].aws.account, '123456789012');
  assert.equal(keys[0].aws.user, 'alice');
  await page.close();
});

test('registering again while our key is listed is DEVICE_INELIGIBLE, without a prompt', async () => {
  const page = await startU2f({ action: 'register' });
  const result = await waitForResult(page);
  assert.equal(result.detail?.errorCode, ERR.DEVICE_INELIGIBLE, result.text);
  assert.equal(consentWindows().length, 0);
  assert.equal((await ui('keys.list')).length, 1);
  await page.close();
});

let lastCount = 0;

test('WebAuthn sign-in with the appid extension signs with the U2F key; the counter grows twice', async () => {
  await server.api.config({ sendAppid: true });
  const page = await browser.context.newPage();
  try {
    await page.goto(url('signin.aws.amazon.com', '/'));
    await page.click('#signin_button');
    const first = await waitForResult(page);
    assert.equal(first.status, 'ok', first.text);
    // py_webauthn verified it with expected_rp_id = the AppID (rpIdHash = SHA-256(AppID)).
    assert.equal(first.detail.appid, true);
    assert.equal(await page.evaluate(() => window.__lastCredential.getClientExtensionResults().appid), true);
    const [stored] = await server.api.credentials();
    assert.equal(first.detail.credentialId, stored.id);
    assert.ok(first.detail.newSignCount > first.detail.previousSignCount, JSON.stringify(first.detail));
    const second = await signInAgain(page);
    assert.equal(second.status, 'ok', second.text);
    assert.equal(second.detail.appid, true);
    assert.ok(second.detail.newSignCount > first.detail.newSignCount, JSON.stringify([first.detail, second.detail]));
    lastCount = second.detail.newSignCount;
  } finally {
    await server.api.config({ sendAppid: false });
    await page.close();
  }
});

test('u2f.sign on the legacy page is verified by python-fido2; its counter continues', async () => {
  const page = await startU2f({ action: 'sign' }, 'signin.aws.amazon.com');
  const result = await waitForResult(page);
  assert.equal(result.status, 'ok', result.text);
  assert.ok(result.detail.newSignCount > lastCount, JSON.stringify(result.detail));
  assert.equal(consentWindows().length, 0, 'sign-in is auto-approved by default');
  await page.close();
});

test('an AppID of another domain is BAD_REQUEST; a user with none of our keys is DEVICE_INELIGIBLE', async () => {
  const foreign = 'https://u2f.example.com/app-id.json';
  for (const [query, host, code] of [
    [{ action: 'register', appId: foreign }, 'console.aws.amazon.com', ERR.BAD_REQUEST],
    [{ action: 'sign', appId: foreign }, 'signin.aws.amazon.com', ERR.BAD_REQUEST],
    [{ action: 'sign', user: 'bob' }, 'signin.aws.amazon.com', ERR.DEVICE_INELIGIBLE],
  ]) {
    const page = await startU2f(query, host);
    const result = await waitForResult(page);
    assert.equal(result.detail?.errorCode, code, `${JSON.stringify(query)}: ${result.text}`);
    await page.close();
  }
  assert.equal(consentWindows().length, 0);
  assert.equal((await ui('keys.list')).length, 1);
});

test('declining the consent window answers OTHER_ERROR and registers nothing', async () => {
  const consent = nextConsentWindow();
  const page = await startU2f({ action: 'register', user: 'carol' });
  await answerPrompt(await consent, /^Cancel/);
  const result = await waitForResult(page);
  assert.equal(result.detail?.errorCode, ERR.OTHER_ERROR, result.text);
  assert.equal((await ui('keys.list')).length, 1);
  await page.close();
});

test('locked: u2f.sign opens the unlock window only for a key handle of ours', async () => {
  await ui('vault.lock');
  // bob has no keys of ours: answered at once, no password asked.
  const bob = await startU2f({ action: 'sign', user: 'bob' }, 'signin.aws.amazon.com');
  assert.equal((await waitForResult(bob)).detail?.errorCode, ERR.DEVICE_INELIGIBLE);
  assert.equal(browser.context.pages().filter((p) => p.url().includes('unlock.html')).length, 0);
  await bob.close();
  const unlockWindow = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('unlock.html'), timeout: 15000 });
  const page = await startU2f({ action: 'sign' }, 'signin.aws.amazon.com');
  const win = await unlockWindow;
  await win.waitForLoadState();
  await win.locator('input[type=password]').fill(PASSWORD);
  await win.keyboard.press('Enter');
  const result = await waitForResult(page);
  assert.equal(result.status, 'ok', result.text);
  await page.close();
});

test('a non-AWS host gets no window.u2f', async () => {
  const page = await browser.context.newPage();
  await page.goto(url('www.example.test', '/u2f/legacy?action=register'));
  assert.equal(await page.evaluate(() => typeof window.u2f), 'undefined');
  await page.click('#u2f-start');
  assert.equal((await waitForResult(page)).errorName, 'NoU2f');
  await page.close();
});
