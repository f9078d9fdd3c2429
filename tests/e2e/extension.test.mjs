// The real extension (dist/, real service worker and wasm) answering the fixture AWS pages, with
// every registration and assertion verified by py_webauthn on the fixture server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  url, waitForResult, addVirtualAuthenticator, screenshot, stopAllServiceWorkers,
} from './lib/browser.mjs';
import { startExtension, answerPrompt, PASSWORD } from './lib/extension-session.mjs';
import { pagesInOwnWindows } from './lib/windows.mjs';

let session;
let server;
let browser;
let ui; // the UI API, called from an extension page the way the popup does

/** Starts a registration on the IAM page for `user` and returns the consent window. */
async function startRegistration(page, user = 'alice', host = 'console.aws.amazon.com') {
  const consent = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 });
  await page.goto(url(host, `/iam/home?user=${user}#/security_credentials`));
  await page.click('#next');
  const win = await consent;
  await win.waitForLoadState();
  return win;
}

async function signInAs(page, user = 'alice', host = 'signin.aws.amazon.com') {
  await page.goto(url(host, '/'));
  await page.fill('#username', user);
  await page.click('#signin_button');
  return waitForResult(page);
}

before(async () => {
  session = await startExtension({ createVault: false });
  ({ server, browser, ui } = session);
  assert.equal((await ui('vault.status')).state, 'none');
  await ui('vault.create', { password: PASSWORD });
});

after(() => session?.close());

test('registration asks the user, then the relying party verifies the attestation', async () => {
  await server.api.reset();
  const page = await browser.context.newPage();
  const consent = await startRegistration(page);
  await screenshot(consent, 'consent-create');
  await answerPrompt(consent, /^Register/);
  const result = await waitForResult(page);
  assert.equal(result.status, 'ok', result.text);
  const keys = await ui('keys.list');
  assert.equal(keys.length, 1);
  assert.equal(keys[0].rpId, 'amazon.com');
  assert.equal(keys[0].aws.account, '123456789012');
  await page.close();
});

test('sign-in is answered by the extension and the counter grows', async () => {
  const page = await browser.context.newPage();
  const first = await signInAs(page);
  assert.equal(first.status, 'ok', first.text);
  const second = await signInAs(page);
  assert.equal(second.status, 'ok', second.text);
  assert.ok(second.detail.newSignCount > first.detail.newSignCount, JSON.stringify([first.detail, second.detail]));
  await page.close();
});

test('ten tabs signing at once get ten verified assertions with distinct counters', async () => {
  // All ten get() calls run at once. They are then verified in counter order: a relying party
  // keeps the highest count it has seen, so verifying them in whatever order ten concurrent
  // POSTs arrive would reject valid, distinct counters.
  // Each in a window of its own: only a window's active tab is signed for without asking.
  const pages = await pagesInOwnWindows(browser.context, session.control, 10,
    (i) => url('signin.aws.amazon.com', `/?auto=0&tab=${i}`));
  const credentials = await Promise.all(pages.map((p) => p.evaluate(async () => {
    const W = window.FixtureWebAuthn;
    const o = await W.postJSON('/api/signin/options', { user: 'alice' });
    const cred = await navigator.credentials.get({ publicKey: W.decodeRequest(o.publicKey) });
    return W.encodeCredential(cred);
  })));
  const counterOf = (json) => {
    const ad = Buffer.from(json.response.authenticatorData, 'base64url');
    return ad.readUInt32BE(33);
  };
  const counts = credentials.map(counterOf);
  assert.equal(new Set(counts).size, 10, `counters repeat: ${counts}`);
  const order = counts.map((c, i) => [c, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  for (const i of order) {
    const verdict = await pages[i].evaluate((credential) => window.FixtureWebAuthn.postJSON('/api/signin/verify', { credential }), credentials[i]);
    assert.ok(verdict.ok, `counter ${counts[i]}: ${verdict.error}`);
  }
  await Promise.all(pages.map((p) => p.close()));
});

test('a foreign RP ID from an AWS page is refused with SecurityError', async () => {
  await server.api.config({ rpIdOverride: 'example.com' });
  const page = await browser.context.newPage();
  try {
    const result = await signInAs(page);
    assert.equal(result.status, 'error');
    assert.equal(result.errorName, 'SecurityError');
  } finally {
    await server.api.config({ rpIdOverride: null });
    await page.close();
  }
});

test('a credential we do not hold goes to the browser: the virtual authenticator answers', async () => {
  const page = await browser.context.newPage();
  await addVirtualAuthenticator(page);
  // Register bob's hardware key: the user chooses "Use another security key" in our prompt.
  const consent = await startRegistration(page, 'bob');
  await answerPrompt(consent, /another/i);
  const registered = await waitForResult(page);
  assert.equal(registered.status, 'ok', registered.text);
  const before = (await ui('keys.list')).length;
  const signedIn = await signInAs(page, 'bob');
  assert.equal(signedIn.status, 'ok', signedIn.text);
  assert.equal((await ui('keys.list')).length, before, 'nothing was added to our vault');
  await page.close();
});

test('locked: a sign-in prompt opens the unlock window and succeeds after unlock', async () => {
  await ui('vault.lock');
  assert.equal((await ui('vault.status')).state, 'locked');
  const page = await browser.context.newPage();
  const unlockWindow = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('unlock.html'), timeout: 15000 });
  const done = signInAs(page);
  const win = await unlockWindow;
  await win.waitForLoadState();
  await win.locator('input[type=password]').fill(PASSWORD);
  await win.keyboard.press('Enter');
  const result = await done;
  assert.equal(result.status, 'ok', result.text);
  assert.equal((await ui('vault.status')).state, 'unlocked');
  await page.close();
});

test('a stopped service worker resumes without the password and still signs', async () => {
  await stopAllServiceWorkers(browser.context);
  const page = await browser.context.newPage();
  const result = await signInAs(page);
  assert.equal(result.status, 'ok', result.text);
  await page.close();
});

test('RP ID aws.amazon.com works end to end', async () => {
  await server.api.config({ rpId: 'aws.amazon.com' });
  try {
    const page = await browser.context.newPage();
    const consent = await startRegistration(page, 'carol');
    await answerPrompt(consent, /^Register/);
    assert.equal((await waitForResult(page)).status, 'ok');
    const result = await signInAs(page, 'carol');
    assert.equal(result.status, 'ok', result.text);
    await page.close();
  } finally {
    await server.api.config({ rpId: 'amazon.com' });
  }
});

test('a key marked "ask before each sign-in" asks even with auto-approve on', async () => {
  const [key] = await ui('keys.list');
  await ui('keys.update', { id: key.id, askBeforeSignIn: true });
  const page = await browser.context.newPage();
  try {
    const prompt = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 });
    const done = signInAs(page);
    const win = await prompt;
    await win.waitForLoadState();
    await answerPrompt(win, /^Sign in/);
    const result = await done;
    assert.equal(result.status, 'ok', result.text);
  } finally {
    await ui('keys.update', { id: key.id, askBeforeSignIn: false });
    await page.close();
  }
});

test('a same-origin iframe on the sign-in page is answered by the extension', async () => {
  const page = await browser.context.newPage();
  await page.goto(url('signin.aws.amazon.com', '/frame?src=/signin'));
  await page.frameLocator('#child').locator('#signin_button').click();
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const result = await waitForResult(page, { frame });
  assert.equal(result.status, 'ok', result.text);
  await page.close();
});

test('asking before sign-in: abort closes the prompt with AbortError; no answer times out with NotAllowedError', async () => {
  await ui('settings.set', { settings: { ...(await ui('settings.get')), autoApproveSignIn: false } });
  const page = await browser.context.newPage();
  try {
    await page.goto(url('signin.aws.amazon.com', '/?auto=0'));
    const options = await page.evaluate(async () => (await window.FixtureWebAuthn.postJSON('/api/signin/options', { user: 'alice' })).publicKey);

    // Abort while our prompt is open: the page gets AbortError and the prompt goes away.
    const prompt = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 });
    const aborted = page.evaluate(async (o) => {
      const controller = new AbortController();
      const call = navigator.credentials.get({ publicKey: window.FixtureWebAuthn.decodeRequest(o), signal: controller.signal });
      window.__abort = () => controller.abort();
      try { await call; return 'resolved'; } catch (e) { return e.name; }
    }, options);
    const win = await prompt;
    await page.evaluate(() => window.__abort());
    assert.equal(await aborted, 'AbortError');
    await win.waitForEvent('close', { timeout: 10000 });

    // Nobody answers: the page's timeout (clamped to Chrome's 10 s minimum) gives NotAllowedError.
    const started = Date.now();
    const timedOut = await page.evaluate(async (o) => {
      try {
        await navigator.credentials.get({ publicKey: { ...window.FixtureWebAuthn.decodeRequest(o), timeout: 1000 } });
        return 'resolved';
      } catch (e) { return e.name; }
    }, options);
    assert.equal(timedOut, 'NotAllowedError');
    assert.ok(Date.now() - started >= 9000, 'the timeout was clamped to 10 s as Chrome clamps it');
  } finally {
    await ui('settings.set', { settings: { ...(await ui('settings.get')), autoApproveSignIn: true } });
    await page.close();
  }
});
