// Proves the fixture pages and the relying-party server on their own: no
// extension, Chromium's DevTools-protocol virtual authenticator as the key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFixtureServer } from './lib/fixture-server.mjs';
import {
  launchBrowser, addVirtualAuthenticator, registerOnConsole, signIn, signInAgain,
  screenshot, url, waitForResult,
} from './lib/browser.mjs';

let server, browser, page, va;

before(async () => {
  server = await startFixtureServer();
  browser = await launchBrowser({ server, dist: null });
  page = await browser.context.newPage();
  va = await addVirtualAuthenticator(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('IAM wizard: registration verified by the RP server', async () => {
  const r = await registerOnConsole(page);
  await screenshot(page, 'va-register');
  assert.equal(r.status, 'ok', r.text);
  const creds = await server.api.credentials();
  assert.equal(creds.length, 1);
  assert.equal(creds[0].rpId, 'amazon.com');
  assert.equal(creds[0].user, 'alice');
  assert.ok(['packed', 'none', 'fido-u2f'].includes(creds[0].fmt), creds[0].fmt);
  assert.equal((await va.credentials()).length, 1);
  // The page shows who is registering, like the console does.
  assert.match(await page.textContent('header'), /Account ID 1234-5678-9012/);
});

test('registering the same key again is refused by excludeCredentials', async () => {
  const r = await registerOnConsole(page, 'us-east-1.console.aws.amazon.com');
  assert.equal(r.status, 'error');
  assert.equal(r.errorName, 'InvalidStateError', r.text);
});

test('sign-in: assertion verified, counter grows, replay refused', async () => {
  const first = await signIn(page, 'signin.aws.amazon.com');
  await screenshot(page, 'va-signin');
  assert.equal(first.status, 'ok', first.text);
  assert.match(first.text, /Signed in/);

  const second = await signInAgain(page);
  assert.equal(second.status, 'ok', second.text);
  // WebAuthn allows a constant 0 counter; otherwise it must strictly grow.
  const a = first.detail.newSignCount;
  const b = second.detail.newSignCount;
  assert.ok((a === 0 && b === 0) || b > a, `counter ${a} -> ${b}`);
  const [stored] = await server.api.credentials();
  assert.equal(stored.signCount, b);

  // Replay the last assertion: its challenge is spent.
  const replay = await page.evaluate(() =>
    window.FixtureWebAuthn.postJSON('/api/signin/verify', { credential: window.__lastCredentialJSON }));
  assert.equal(replay.ok, false);
  assert.match(replay.error, /already used|unknown/);
});

test('regional and per-account sign-in hosts', async () => {
  for (const host of ['eu-west-1.signin.aws.amazon.com', '123456789012.signin.aws.amazon.com']) {
    const r = await signIn(page, host);
    assert.equal(r.status, 'ok', `${host}: ${r.text}`);
  }
});

test('foreign rpId is refused by the browser with SecurityError', async () => {
  await server.api.config({ rpIdOverride: 'example.com' });
  try {
    const r = await signIn(page, 'signin.aws.amazon.com');
    assert.equal(r.status, 'error');
    assert.equal(r.errorName, 'SecurityError', r.text);
  } finally {
    await server.api.config({ rpIdOverride: null });
  }
});

test('look-alike host: same pages work natively with their own RP ID', async () => {
  const host = 'signin.aws.amazon.com.example.test';
  await page.goto(url(host, '/register'));
  await page.click('#next');
  const reg = await waitForResult(page);
  assert.equal(reg.status, 'ok', reg.text);
  const r = await signIn(page, host, '/signin');
  assert.equal(r.status, 'ok', r.text);
  const creds = await server.api.credentials();
  assert.ok(creds.some((c) => c.rpId === host));
});
