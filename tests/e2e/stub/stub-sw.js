// Throwaway service worker for interception tests: the real router with a
// stub engine whose behaviour the test sets through globalThis.__stub
// (Playwright's worker.evaluate). NOT the product engine.
import '../shared/sites.js';
import { attachRouter } from './router.js';

const calls = [];
globalThis.__stub = { mode: 'fallback', calls, aborts: [] };

function answer(kind, req) {
  calls.push({ kind, origin: req.origin, topOrigin: req.topOrigin,
    sameOriginWithAncestors: req.sameOriginWithAncestors, requestId: req.requestId,
    tabId: req.tabId, frameId: req.frameId, options: req.options });
  const mode = globalThis.__stub.mode;
  if (mode === 'fallback') return Promise.resolve({ kind: 'fallback' });
  if (mode === 'error') return Promise.reject({ name: 'NotAllowedError', message: 'stub says no' });
  if (mode === 'hang') return new Promise(() => {});
  if (mode === 'canned') return Promise.resolve({ kind: 'credential', credential: canned(kind) });
  if (mode === 'garbage') return Promise.resolve({ kind: 'credential', credential: { id: 'x' } });
  return Promise.reject({ name: 'UnknownError', message: `unknown stub mode ${mode}` });
}

// Syntactically valid, cryptographically meaningless credential JSON, to test
// the page-side objects (the RP server would refuse it).
function b64(n, fill) {
  let bin = '';
  for (let i = 0; i < n; i++) bin += String.fromCharCode((fill + i) & 255);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function canned(kind) {
  const id = b64(32, 1);
  const common = { id, rawId: id, type: 'public-key', authenticatorAttachment: 'cross-platform' };
  if (kind === 'create') {
    return { ...common, clientExtensionResults: { credProps: { rk: false } }, response: {
      clientDataJSON: b64(100, 2), authenticatorData: b64(164, 3), transports: ['usb'],
      publicKey: b64(91, 4), publicKeyAlgorithm: -7, attestationObject: b64(200, 5) } };
  }
  return { ...common, clientExtensionResults: { appid: true }, response: {
    clientDataJSON: b64(100, 6), authenticatorData: b64(37, 7), signature: b64(71, 8), userHandle: null } };
}

attachRouter({
  makeCredential: (req) => answer('create', req),
  getAssertion: (req) => answer('get', req),
  abort: (req) => { globalThis.__stub.aborts.push(req.requestId); },
});
