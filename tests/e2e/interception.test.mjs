// Page-side interception (content/page.js + content/bridge.js + background/router.js)
// with a STUB engine (tests/e2e/stub/stub-sw.js) — see the README in tests/e2e.
// What the stub answers is set per test: fallback | error | hang | canned | garbage.
import { test as nodeTest, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFixtureServer } from './lib/fixture-server.mjs';
import {
  launchBrowser, addVirtualAuthenticator, extensionWorker, stopAllServiceWorkers, runningServiceWorkers,
  registerOnConsole, signIn, signInAgain, screenshot, url, waitForResult,
} from './lib/browser.mjs';
import { buildStubExtension } from './lib/stub-extension.mjs';

let server, ext, browser, page;

const worker = () => extensionWorker(browser.context);
// worker.evaluate() hangs on a stopped worker: never let that hang the suite.
async function inWorker(fn, arg) {
  const w = await worker();
  return Promise.race([
    w.evaluate(fn, arg),
    new Promise((_, reject) => setTimeout(() => reject(new Error('worker.evaluate timed out')), 10000)),
  ]);
}
const setMode = (mode) => inWorker((m) => { globalThis.__stub.mode = m; }, mode);
const stub = () => inWorker(() => ({ calls: globalThis.__stub.calls, aborts: globalThis.__stub.aborts }));
// Keep a broken test from stalling the whole file.
const test = (name, fn) => nodeTest(name, { timeout: 60000 }, fn);
const CHALLENGE = 'new Uint8Array(32).fill(7)';

before(async () => {
  server = await startFixtureServer();
  ext = buildStubExtension();
  browser = await launchBrowser({ server, dist: ext.dir });
  await worker();
  page = await browser.context.newPage();
  await addVirtualAuthenticator(page);
});

after(async () => {
  await browser?.close();
  ext?.remove();
  await server?.stop();
});

beforeEach(async () => {
  await setMode('fallback');
});

test('AWS hosts: create/get are wrapped on the prototype, navigator.credentials untouched', async () => {
  for (const host of ['signin.aws.amazon.com', 'eu-west-1.signin.aws.amazon.com',
    '123456789012.signin.aws.amazon.com', 'console.aws.amazon.com', 'us-east-1.console.aws.amazon.com']) {
    await page.goto(url(host, '/blank'));
    const r = await page.evaluate(() => ({
      get: Function.prototype.toString.call(CredentialsContainer.prototype.get),
      create: Function.prototype.toString.call(CredentialsContainer.prototype.create),
      own: Object.getOwnPropertyNames(navigator),
      leaked: typeof globalThis.SoftKeyMessages,
      names: [CredentialsContainer.prototype.get.name, CredentialsContainer.prototype.get.length],
    }));
    assert.doesNotMatch(r.get, /native code/, host);
    assert.doesNotMatch(r.create, /native code/, host);
    assert.deepEqual(r.own, [], `${host}: navigator has own properties`);
    assert.equal(r.leaked, 'undefined', `${host}: messages global leaked to the page`);
    assert.deepEqual(r.names, ['get', 0]);
  }
});

test('non-AWS and look-alike hosts are not intercepted at all', async () => {
  for (const host of ['www.example.test', 'signin.aws.amazon.com.example.test', 'signin-aws-amazon.com']) {
    await page.goto(url(host, '/blank'));
    const r = await page.evaluate(() => [
      Function.prototype.toString.call(CredentialsContainer.prototype.get),
      Function.prototype.toString.call(CredentialsContainer.prototype.create),
    ]);
    assert.match(r[0], /^function get\(\) \{ \[native code\] \}$/, host);
    assert.match(r[1], /^function create\(\) \{ \[native code\] \}$/, host);
  }
});

test('non-publicKey calls pass straight through', async () => {
  await page.goto(url('signin.aws.amazon.com', '/blank'));
  const before = (await stub()).calls.length;
  const r = await page.evaluate(async () => {
    const pc = await navigator.credentials.create({ password: { id: 'alice', password: 'x', name: 'Alice' } });
    const silent = await navigator.credentials.get({ password: true, mediation: 'silent' });
    let noArgs;
    try { noArgs = await navigator.credentials.get(); } catch (e) { noArgs = e.name; }
    return [pc instanceof PasswordCredential, pc.id, silent, noArgs];
  });
  assert.equal(r[0], true);
  assert.equal(r[1], 'alice');
  assert.equal(r[2], null);
  assert.equal((await stub()).calls.length, before, 'engine must not see non-publicKey calls');
});

test('fallback: registration and sign-in reach the browser authenticator and verify', async () => {
  await server.api.reset();
  const before = (await stub()).calls.length;
  const reg = await registerOnConsole(page);
  assert.equal(reg.status, 'ok', reg.text);
  const sig = await signIn(page, 'eu-west-1.signin.aws.amazon.com');
  await screenshot(page, 'interception-fallback-signin');
  assert.equal(sig.status, 'ok', sig.text);
  const { calls } = await stub();
  const mine = calls.slice(before);
  assert.deepEqual(mine.map((c) => [c.kind, c.origin, c.topOrigin, c.sameOriginWithAncestors, c.frameId]), [
    ['create', 'https://console.aws.amazon.com', null, true, 0],
    ['get', 'https://eu-west-1.signin.aws.amazon.com', null, true, 0],
  ]);
  // Options arrived in JSON form exactly as the RP sent them.
  const sent = await page.evaluate(() => window.__lastRequestOptions);
  assert.equal(mine[1].options.challenge, sent.challenge);
  assert.deepEqual(mine[1].options.allowCredentials, sent.allowCredentials);
  assert.equal(mine[1].options.rpId, 'amazon.com');
  assert.equal(mine[0].options.attestation, 'direct');
  assert.deepEqual(mine[0].options.pubKeyCredParams.map((p) => p.alg), [-7, -257]);
});

test('cold start: the bridge reconnects after the service worker was stopped', async () => {
  await server.api.reset();
  await registerOnConsole(page);
  // First sign-in opens the bridge's port; then the worker goes away under it.
  const first = await signIn(page, 'signin.aws.amazon.com');
  assert.equal(first.status, 'ok', first.text);
  assert.equal(await stopAllServiceWorkers(browser.context), 1);
  assert.deepEqual(await runningServiceWorkers(browser.context), []);
  const again = await signInAgain(page);
  assert.equal(again.status, 'ok', again.text);
  const { calls } = await stub(); // a fresh worker: only this call
  assert.equal(calls.length, 1);
  assert.equal(calls[0].kind, 'get');
});

test('engine error becomes a DOMException with that name', async () => {
  await setMode('error');
  await page.goto(url('signin.aws.amazon.com', '/blank'));
  const r = await page.evaluate(async (ch) => {
    try {
      await navigator.credentials.get({ publicKey: { challenge: eval(ch), rpId: 'amazon.com' } });
      return 'resolved';
    } catch (e) { return [e instanceof DOMException, e.name, e.message]; }
  }, CHALLENGE);
  assert.deepEqual(r, [true, 'NotAllowedError', 'stub says no']);
});

test('invalid engine answer is refused (UnknownError), never handed to the page', async () => {
  await setMode('garbage');
  await page.goto(url('signin.aws.amazon.com', '/blank'));
  const r = await page.evaluate(async (ch) => {
    try {
      await navigator.credentials.get({ publicKey: { challenge: eval(ch) } });
      return 'resolved';
    } catch (e) { return e.name; }
  }, CHALLENGE);
  assert.equal(r, 'UnknownError');
});

test('credential answers become real-looking PublicKeyCredential objects', async () => {
  await setMode('canned');
  await page.goto(url('signin.aws.amazon.com', '/blank'));
  const r = await page.evaluate(async (ch) => {
    const a = await navigator.credentials.get({ publicKey: { challenge: eval(ch), rpId: 'amazon.com' } });
    const c = await navigator.credentials.create({ publicKey: {
      challenge: eval(ch), rp: { id: 'amazon.com', name: 'AWS' },
      user: { id: new Uint8Array(16), name: 'alice', displayName: 'alice' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } });
    const bytes = (b) => Array.from(new Uint8Array(b).slice(0, 3));
    return {
      a: [a instanceof PublicKeyCredential, a instanceof Credential, a.type, a.id.length,
        a.rawId instanceof ArrayBuffer, a.rawId === a.rawId, a.authenticatorAttachment,
        a.response instanceof AuthenticatorAssertionResponse, a.response instanceof AuthenticatorResponse,
        bytes(a.response.signature), a.response.authenticatorData.byteLength, a.response.userHandle,
        a.getClientExtensionResults().appid, Object.prototype.toString.call(a), Object.keys(a).length,
        JSON.stringify(a) === JSON.stringify(a.toJSON()), a.toJSON().response.signature.length > 0],
      c: [c instanceof PublicKeyCredential, c.response instanceof AuthenticatorAttestationResponse,
        c.response.getTransports(), c.response.getPublicKeyAlgorithm(), c.response.getPublicKey().byteLength,
        c.response.getAuthenticatorData().byteLength, c.response.attestationObject.byteLength,
        bytes(c.response.clientDataJSON), c.getClientExtensionResults().credProps.rk],
    };
  }, CHALLENGE);
  assert.deepEqual(r.a, [true, true, 'public-key', 43, true, true, 'cross-platform', true, true,
    [8, 9, 10], 37, null, true, '[object PublicKeyCredential]', 0, true, true]);
  assert.deepEqual(r.c, [true, true, ['usb'], -7, 91, 164, 200, [2, 3, 4], false]);
});

test('AbortSignal: already aborted rejects at once; a later abort reaches the engine', async () => {
  await setMode('hang');
  await page.goto(url('signin.aws.amazon.com', '/blank'));
  const before = await stub();
  const r = await page.evaluate(async (ch) => {
    const out = {};
    const pk = { challenge: eval(ch), rpId: 'amazon.com' };
    let c = new AbortController();
    c.abort();
    try { await navigator.credentials.get({ publicKey: pk, signal: c.signal }); } catch (e) {
      out.pre = [e.name, e === c.signal.reason];
    }
    c = new AbortController();
    c.abort('why');
    try { await navigator.credentials.get({ publicKey: pk, signal: c.signal }); } catch (e) { out.preReason = e; }
    c = new AbortController();
    const p = navigator.credentials.get({ publicKey: pk, signal: c.signal });
    await new Promise((res) => setTimeout(res, 300));
    c.abort();
    try { await p; } catch (e) { out.later = [e.name, e === c.signal.reason]; }
    return out;
  }, CHALLENGE);
  assert.deepEqual(r, { pre: ['AbortError', true], preReason: 'why', later: ['AbortError', true] });
  // The abort travels page -> bridge -> worker after the page's promise settled: wait for it.
  let after = await stub();
  for (let i = 0; i < 50 && !after.aborts.includes(after.calls.at(-1)?.requestId); i++) {
    await new Promise((res) => setTimeout(res, 100));
    after = await stub();
  }
  assert.equal(after.calls.length, before.calls.length + 1, 'only the later-aborted call reached the engine');
  const last = after.calls.at(-1);
  assert.ok(after.aborts.includes(last.requestId), 'engine.abort got the request id');
});

test('another script guarded navigator.credentials and wrapped get first: still intercepted', async () => {
  const p2 = await browser.context.newPage();
  try {
    await p2.addInitScript(() => {
      const container = navigator.credentials;
      Object.defineProperty(Navigator.prototype, 'credentials', {
        configurable: false,
        get() { return container; },
        set() { throw new Error('guarded by another extension'); },
      });
      const inner = CredentialsContainer.prototype.get;
      window.__otherWrapperCalls = 0;
      CredentialsContainer.prototype.get = function get(o) {
        window.__otherWrapperCalls++;
        return inner.call(this, o);
      };
    });
    await addVirtualAuthenticator(p2);
    await server.api.reset();
    const reg = await registerOnConsole(p2);
    assert.equal(reg.status, 'ok', reg.text);
    const before = (await stub()).calls.length;
    const r = await signIn(p2, 'signin.aws.amazon.com');
    assert.equal(r.status, 'ok', r.text);
    assert.equal((await stub()).calls.length, before + 1, 'our wrapper saw the call');
    assert.equal(await p2.evaluate(() => window.__otherWrapperCalls), 1, 'fallback went through their wrapper');
  } finally {
    await p2.close();
  }
});

test('frames: same-origin and cross-origin iframes report their context', async () => {
  await server.api.reset();
  await registerOnConsole(page);
  const before = (await stub()).calls.length;
  // Same-origin child.
  await page.goto(url('signin.aws.amazon.com', '/frame?src=/signin'));
  let child = page.frameLocator('#child');
  await child.locator('#signin_button').click();
  let frame = page.frames().find((f) => f !== page.mainFrame());
  let r = await waitForResult(page, { frame });
  assert.equal(r.status, 'ok', r.text);
  // Cross-origin child under a non-AWS top-level page.
  await page.goto(url('www.example.test', '/frame?src=https://signin.aws.amazon.com/signin'));
  child = page.frameLocator('#child');
  await child.locator('#signin_button').click();
  frame = page.frames().find((f) => f !== page.mainFrame());
  r = await waitForResult(page, { frame });
  assert.equal(r.status, 'ok', r.text);
  const calls = (await stub()).calls.slice(before);
  assert.equal(calls.length, 2);
  assert.equal(calls[0].origin, 'https://signin.aws.amazon.com');
  assert.equal(calls[0].sameOriginWithAncestors, true);
  assert.equal(calls[0].topOrigin, null);
  assert.notEqual(calls[0].frameId, 0);
  assert.equal(calls[1].origin, 'https://signin.aws.amazon.com');
  assert.equal(calls[1].sameOriginWithAncestors, false);
  assert.equal(calls[1].topOrigin, 'https://www.example.test');
});
