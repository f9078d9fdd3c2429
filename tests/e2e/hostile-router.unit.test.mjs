// Forged and hostile messages at the service worker's door (background/router.js), no browser:
// what reaches the router claims things the browser's sender contradicts, or comes from frames
// that are never ours. Each refusal is checked by what the engine saw (nothing) and what the
// frame was answered. Part of issue 9's proof, beside tests/e2e/hostile.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../extension/shared/sites.js'; // the site table the router asks
import '../../extension/shared/base64url.js';
import { attachRouter, MAX_INFLIGHT_PER_TAB, senderOrigin } from '../../extension/background/router.js';

const M = globalThis.SoftKeyMessages;
const b64 = (n, f = 1) => globalThis.SoftKeyBase64url.bytesToB64url(new Uint8Array(n).fill(f));
const rid = (i) => `R${String(i).padStart(21, '0')}`;
const AWS = 'https://signin.aws.amazon.com';
const getOptions = () => ({ challenge: b64(32), rpId: 'amazon.com', allowCredentials: [{ type: 'public-key', id: b64(64) }] });
const request = (i, extra = {}) => ({ type: 'webauthn.get', requestId: rid(i), options: getOptions(),
  origin: AWS, topOrigin: null, sameOriginWithAncestors: true, ...extra });
const SENDER = { id: 'ext', origin: AWS, url: `${AWS}/`, frameId: 0, tab: { id: 7, url: `${AWS}/` }, documentId: 'D1' };
const tick = () => new Promise((r) => setTimeout(r, 0));

function harness() {
  const rt = { id: 'ext', listeners: [] };
  rt.onConnect = { addListener: (f) => rt.listeners.push(f) };
  const seen = [];
  const pending = [];
  attachRouter({
    makeCredential: async (req) => { seen.push(req); return { kind: 'fallback' }; },
    getAssertion: (req) => { seen.push(req); return new Promise((resolve) => pending.push(resolve)); },
    abort: () => {},
  }, { runtime: rt, log: () => {} });
  const connect = (sender) => {
    const port = { name: M.PORT_NAME, sender, sent: [], msgL: [], discL: [], disconnected: false };
    port.postMessage = (m) => port.sent.push(m);
    port.disconnect = () => { port.disconnected = true; };
    port.onMessage = { addListener: (f) => port.msgL.push(f) };
    port.onDisconnect = { addListener: (f) => port.discL.push(f) };
    port.deliver = async (m) => { port.msgL.forEach((f) => f(m)); await tick(); };
    port.last = () => port.sent.at(-1)?.result;
    rt.listeners.forEach((f) => f(port));
    return port;
  };
  return { connect, seen, pending };
}

test('opaque origins are never rebuilt from the URL: a sandboxed AWS document goes to the browser', async () => {
  assert.equal(senderOrigin({ origin: 'null', url: `${AWS}/` }), null);
  assert.equal(senderOrigin({ url: `${AWS}/x` }), AWS, 'an older Chrome without sender.origin: the URL');
  const h = harness();
  // The bridge of a sandboxed frame (if it ever sent) could only claim the AWS origin.
  const sandboxed = h.connect({ ...SENDER, origin: 'null', frameId: 3 });
  await sandboxed.deliver(request(1, { origin: AWS, topOrigin: AWS, sameOriginWithAncestors: false }));
  assert.deepEqual(sandboxed.last(), { kind: 'fallback' });
  // A CSP-sandboxed top-level page.
  const cspSandboxed = h.connect({ ...SENDER, origin: 'null' });
  await cspSandboxed.deliver(request(2));
  assert.deepEqual(cspSandboxed.last(), { kind: 'fallback' });
  assert.equal(h.seen.length, 0, 'the engine never saw them');
});

test('about:blank, srcdoc and blob: frames go to the browser, even when their claim is malformed', async () => {
  const h = harness();
  for (const url of ['about:blank', 'about:srcdoc', `blob:${AWS}/0b0e`]) {
    const port = h.connect({ ...SENDER, url, frameId: 4 });
    await port.deliver(request(3, { origin: AWS, topOrigin: null, sameOriginWithAncestors: true }));
    assert.deepEqual(port.last(), { kind: 'fallback' }, url);
    await port.deliver(request(4, { origin: 42 })); // invalid: origin must be a string
    assert.deepEqual(port.last(), { kind: 'fallback' }, `${url}, malformed`);
  }
  assert.equal(h.seen.length, 0);
});

test('claims the browser contradicts are SecurityError; other extensions and non-tab senders are refused', async () => {
  const h = harness();
  const port = h.connect(SENDER);
  await port.deliver(request(5, { origin: 'https://console.aws.amazon.com' }));
  assert.equal(port.last().error.name, 'SecurityError', 'another AWS origin than the sender\'s');
  await port.deliver(request(6, { origin: AWS, topOrigin: 'https://evil.test', sameOriginWithAncestors: false }));
  assert.equal(port.last().error.name, 'SecurityError', 'a top-level frame claiming an embedder');
  const frame = h.connect({ ...SENDER, frameId: 2 });
  await frame.deliver(request(7, { topOrigin: 'https://console.aws.amazon.com', sameOriginWithAncestors: false }));
  assert.equal(frame.last().error.name, 'SecurityError', 'an embedder other than the tab\'s page');
  assert.equal(h.seen.length, 0);
  // A tab whose URL the browser hides (a site we have no access to): the router has nothing to
  // compare the claimed embedder with, so it goes on to the engine, whose core refuses a
  // malformed one before any prompt (Caller::checked_origin, wasm/core/src/precheck/tests.rs).
  const hidden = h.connect({ ...SENDER, frameId: 3, tab: { id: 10 } });
  await hidden.deliver(request(10, { topOrigin: 'https://embedder.test', sameOriginWithAncestors: false }));
  assert.equal(h.seen.length, 1, 'the claim reaches the engine');
  assert.equal(h.seen[0].topOrigin, 'https://embedder.test');
  h.seen.pop();
  // A non-AWS page claiming nothing false: not ours.
  const other = h.connect({ ...SENDER, origin: 'https://www.example.test', url: 'https://www.example.test/', tab: { id: 8 } });
  await other.deliver(request(8, { origin: 'https://www.example.test' }));
  assert.deepEqual(other.last(), { kind: 'fallback' });
  // Another extension, and a sender outside any tab, get no port at all.
  assert.equal(h.connect({ ...SENDER, id: 'another-extension' }).disconnected, true);
  assert.equal(h.connect({ ...SENDER, tab: undefined }).disconnected, true);
  assert.equal(h.seen.length, 0);
});

test('a tab has at most MAX_INFLIGHT_PER_TAB requests in flight; other tabs are unaffected; ids carry the tab', async () => {
  const h = harness();
  const port = h.connect(SENDER);
  for (let i = 0; i < MAX_INFLIGHT_PER_TAB + 4; i++) await port.deliver(request(100 + i));
  assert.equal(h.seen.length, MAX_INFLIGHT_PER_TAB);
  assert.equal(port.sent.length, 4);
  for (const m of port.sent) assert.equal(m.result.error.name, 'NotAllowedError');
  assert.ok(h.seen.every((r) => r.requestId.startsWith('7.')), 'the core counts per tab by this prefix');
  // Another tab still gets through.
  const other = h.connect({ ...SENDER, tab: { id: 9, url: `${AWS}/` } });
  await other.deliver(request(200));
  assert.equal(h.seen.length, MAX_INFLIGHT_PER_TAB + 1);
  assert.match(h.seen.at(-1).requestId, /^9\./);
  // An answered request frees its place.
  h.pending[0]({ kind: 'fallback' });
  await tick();
  await port.deliver(request(300));
  assert.equal(h.seen.length, MAX_INFLIGHT_PER_TAB + 2);
});
