// Fast checks (no browser) of the message declarations (extension/shared/messages.js), their
// validator (shared/schema.js), the page-side conversion (content/page-json.js) and
// background/router.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import '../../extension/shared/sites.js';
import '../../extension/shared/base64url.js';
import '../../extension/shared/schema.js';
import '../../extension/shared/messages.js';
import '../../extension/content/page-json.js';
import { attachRouter } from '../../extension/background/router.js';
import { validateUiRequest, failureReply, UI_REQUESTS } from '../../extension/shared/ui-api.js';

const M = globalThis.SoftKeyMessages;
const B = globalThis.SoftKeyBase64url;
const J = globalThis.SoftKeyPageJson;
const b64 = (n, f = 1) => B.bytesToB64url(new Uint8Array(n).fill(f));
const RID = 'AAAAAAAAAAAAAAAAAAAAAA';
const getOptions = () => ({
  challenge: b64(32), rpId: 'amazon.com', userVerification: 'discouraged', timeout: 60000,
  allowCredentials: [{ type: 'public-key', id: b64(64), transports: ['usb', 'nfc', 'ble', 'hybrid', 'internal'] }],
  extensions: { appid: 'https://u2f.aws.amazon.com/app-id.json' },
});
const createOptions = () => ({
  rp: { id: 'amazon.com', name: 'Amazon Web Services' },
  user: { id: b64(16), name: 'alice', displayName: 'alice' },
  challenge: b64(32),
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
  timeout: 60000, excludeCredentials: [], attestation: 'direct',
  authenticatorSelection: { residentKey: 'discouraged', requireResidentKey: false, userVerification: 'discouraged' },
});
const assertion = () => ({
  id: b64(64), rawId: b64(64), type: 'public-key', authenticatorAttachment: 'cross-platform',
  clientExtensionResults: { appid: true },
  response: { clientDataJSON: b64(90), authenticatorData: b64(37), signature: b64(70), userHandle: null },
});

test('base64url round trip and strictness', () => {
  for (let n = 0; n < 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
    const s = B.bytesToB64url(bytes);
    assert.equal(s, Buffer.from(bytes).toString('base64url'));
    assert.deepEqual(B.b64urlToBytes(s), bytes);
  }
  for (const bad of ['a', 'ab==', 'a+b/', 'AB', 'A=']) assert.throws(() => B.b64urlToBytes(bad), TypeError, bad);
});

test('page requests: valid shapes pass, bad fields are named', () => {
  assert.deepEqual(M.validate('page', { type: 'webauthn.get', requestId: RID, options: getOptions() }),
    { ok: true, error: null });
  assert.equal(M.validate('page', { type: 'webauthn.create', requestId: RID, options: createOptions() }).ok, true);
  assert.equal(M.validate('page', { type: 'webauthn.abort', requestId: RID }).ok, true);
  const cases = [
    [{ type: 'webauthn.get', requestId: 'short', options: getOptions() }, /requestId/],
    [{ type: 'webauthn.get', requestId: RID, options: { ...getOptions(), challenge: b64(8) } }, /challenge/],
    [{ type: 'webauthn.get', requestId: RID, options: { ...getOptions(), challenge: 'not base64!' } }, /challenge/],
    // The RP ID's syntax and its fit to the origin are the core's (origin.rs); here only its size.
    [{ type: 'webauthn.get', requestId: RID, options: { ...getOptions(), rpId: 'a'.repeat(254) } }, /rpId/],
    [{ type: 'webauthn.get', requestId: RID, options: { ...getOptions(), rpId: 7 } }, /rpId: must be a string/],
    [{ type: 'webauthn.get', requestId: RID, options: { ...getOptions(), userVerification: 'maybe' } }, /userVerification/],
    [{ type: 'webauthn.get', requestId: RID, options: { ...getOptions(), origin: 'https://x' } }, /options\.origin: unexpected/],
    [{ type: 'webauthn.get', requestId: RID, options: getOptions(), origin: 'https://evil' }, /unexpected field/],
    [{ type: 'webauthn.create', requestId: RID, options: { ...createOptions(), user: { id: b64(65), name: 'a', displayName: 'a' } } }, /user\.id/],
    [{ type: 'webauthn.create', requestId: RID, options: { ...createOptions(), excludeCredentials: Array(65).fill({ type: 'public-key', id: b64(16) }) } }, /excludeCredentials/],
    [{ type: 'webauthn.create', requestId: RID, options: { ...createOptions(), pubKeyCredParams: [{ type: 'public-key', alg: 1.5 }] } }, /alg/],
    [{ type: 'webauthn.nope', requestId: RID }, /type/],
    [{ type: 'webauthn.keepalive' }, /no page message/],
    [{ type: 'mfa.flow' }, /no page message/],
    [null, /plain object/],
  ];
  for (const [msg, re] of cases) {
    const v = M.validate('page', msg);
    assert.equal(v.ok, false, JSON.stringify(msg));
    assert.match(v.error, re);
  }
});

test('worker requests need a consistent frame context', () => {
  const base = { type: 'webauthn.get', requestId: RID, options: getOptions() };
  const v = (m) => M.validate('bridge', m);
  assert.equal(v({ ...base, origin: 'https://signin.aws.amazon.com', topOrigin: null, sameOriginWithAncestors: true }).ok, true);
  assert.equal(v({ ...base, origin: 'https://signin.aws.amazon.com', topOrigin: 'https://x.test', sameOriginWithAncestors: true }).ok, false);
  assert.match(v({ ...base, topOrigin: null, sameOriginWithAncestors: true }).error, /origin: must be a string/);
  assert.match(v({ ...base, origin: 'https://a.test', topOrigin: null }).error, /sameOriginWithAncestors/);
  assert.equal(v({ type: 'webauthn.keepalive' }).ok, true);
  assert.equal(v({ type: 'webauthn.keepalive', origin: 'https://a.test' }).ok, false);
  // The page's hop does not take the frame's context: only the bridge adds it.
  assert.match(M.validate('page', { ...base, origin: 'https://signin.aws.amazon.com' }).error, /origin: unexpected field/);
});

test('results: credential shapes checked against the request type', () => {
  assert.equal(M.validateResult({ kind: 'credential', credential: assertion() }, 'webauthn.get').ok, true);
  assert.equal(M.validateResult({ kind: 'credential', credential: assertion() }, 'webauthn.create').ok, false);
  assert.equal(M.validateResult({ kind: 'credential', credential: { ...assertion(), rawId: b64(64, 2) } }, 'webauthn.get').ok, false);
  assert.equal(M.validateResult({ kind: 'fallback' }, 'webauthn.get').ok, true);
  assert.equal(M.validateResult(M.error('NotAllowedError', 'x'), 'webauthn.get').ok, true);
  assert.equal(M.validateResult(M.error('Error', 'x'), 'webauthn.get').ok, false);
  assert.equal(M.validateResult({ kind: 'error', name: 'NotAllowedError', message: 'x' }, 'webauthn.get').ok, false,
    'an error travels in the envelope');
});

test('options -> JSON conversion (page side)', () => {
  const j = J.requestOptionsToJSON({
    challenge: new Uint8Array(32).fill(1).buffer, rpId: 'amazon.com', timeout: '60000',
    allowCredentials: [{ type: 'public-key', id: new Uint8Array(64).fill(1), transports: ['usb', 'carrier-pigeon'] }],
    userVerification: 'whatever', extensions: { appid: 'https://u2f.aws.amazon.com/app-id.json', unknownExt: 1 },
  });
  assert.deepEqual(j, {
    challenge: b64(32), rpId: 'amazon.com', timeout: 60000,
    allowCredentials: [{ type: 'public-key', id: b64(64), transports: ['usb'] }],
    extensions: { appid: 'https://u2f.aws.amazon.com/app-id.json' },
  });
  assert.equal(M.validate('page', { type: 'webauthn.get', requestId: RID, options: j }).ok, true);
  assert.throws(() => J.requestOptionsToJSON({ rpId: 'amazon.com' }), TypeError);
  assert.throws(() => J.creationOptionsToJSON({ ...createOptions(), challenge: 'string is not a BufferSource' }), TypeError);
});

// A fake chrome.runtime with one connectable port.
function fakeRuntime() {
  const rt = { id: 'ext', listeners: [] };
  rt.onConnect = { addListener: (f) => rt.listeners.push(f) };
  rt.connect = (sender) => {
    const port = { name: M.PORT_NAME, sender, sent: [], msgL: [], discL: [], disconnected: false };
    port.postMessage = (m) => port.sent.push(m);
    port.disconnect = () => { port.disconnected = true; };
    port.onMessage = { addListener: (f) => port.msgL.push(f) };
    port.onDisconnect = { addListener: (f) => port.discL.push(f) };
    port.deliver = (m) => port.msgL.forEach((f) => f(m));
    port.close = () => port.discL.forEach((f) => f());
    rt.listeners.forEach((f) => f(port));
    return port;
  };
  return rt;
}
const tick = () => new Promise((r) => setTimeout(r, 0));
const SENDER = { id: 'ext', origin: 'https://signin.aws.amazon.com', url: 'https://signin.aws.amazon.com/', frameId: 0, tab: { id: 7 } };
const request = (extra = {}) => ({ type: 'webauthn.get', requestId: RID, options: getOptions(),
  origin: 'https://signin.aws.amazon.com', topOrigin: null, sameOriginWithAncestors: true, ...extra });

test('router: origin from sender, dispatch table, validation of answers', async () => {
  const rt = fakeRuntime();
  const seen = [];
  const aborted = [];
  let answer = { kind: 'credential', credential: assertion() };
  attachRouter({
    makeCredential: async () => ({ kind: 'fallback' }),
    getAssertion: async (req) => { seen.push(req); return answer; },
    abort: (req) => aborted.push(req.requestId),
  }, { runtime: rt, log: () => {} });

  const port = rt.connect(SENDER);
  port.deliver(request());
  await tick();
  assert.equal(seen.length, 1);
  assert.equal(seen[0].origin, 'https://signin.aws.amazon.com');
  assert.equal(seen[0].tabId, 7);
  assert.equal(seen[0].frameId, 0);
  assert.match(seen[0].requestId, /^7\.\d+\.AAAA/, "the tab id leads: the core counts pending requests per tab");
  assert.deepEqual(port.sent.at(-1), { type: 'webauthn.result', requestId: RID, result: answer });

  // Claimed origin differs from the browser's: SecurityError, engine not called.
  port.deliver(request({ origin: 'https://console.aws.amazon.com' }));
  await tick();
  assert.equal(seen.length, 1);
  assert.equal(port.sent.at(-1).result.error.name, 'SecurityError');
  assert.equal(port.sent.at(-1).result.error.kind, 'originMismatch');

  // Non-AWS origin (sender agrees with the claim): fallback, engine not called.
  const other = rt.connect({ ...SENDER, origin: 'https://www.example.test', url: 'https://www.example.test/' });
  other.deliver(request({ origin: 'https://www.example.test' }));
  await tick();
  assert.deepEqual(other.sent.at(-1).result, { kind: 'fallback' });

  // Engine answers garbage: UnknownError.
  answer = { kind: 'credential', credential: { id: 'x' } };
  port.deliver(request());
  await tick();
  assert.equal(port.sent.at(-1).result.error.name, 'UnknownError');

  // Engine rejects with a DOMException-like object.
  answer = Promise.reject({ name: 'InvalidStateError', message: 'already registered' });
  answer.catch(() => {});
  port.deliver(request());
  await tick();
  assert.deepEqual(port.sent.at(-1).result,
    { kind: 'error', error: { name: 'InvalidStateError', kind: 'invalidState', message: 'already registered' } });

  // A wasm error keeps its kind.
  answer = Promise.reject({ name: 'NotAllowedError', kind: 'tooManyPending', message: 'busy' });
  answer.catch(() => {});
  port.deliver(request());
  await tick();
  assert.deepEqual(port.sent.at(-1).result.error, { name: 'NotAllowedError', kind: 'tooManyPending', message: 'busy' });

  // Abort and disconnect reach engine.abort; late answers are dropped.
  let release;
  answer = new Promise((r) => { release = r; });
  port.deliver(request({ requestId: 'BBBBBBBBBBBBBBBBBBBBBB' }));
  port.deliver({ type: 'webauthn.abort', requestId: 'BBBBBBBBBBBBBBBBBBBBBB', origin: SENDER.origin, topOrigin: null, sameOriginWithAncestors: true });
  port.deliver(request({ requestId: 'CCCCCCCCCCCCCCCCCCCCCC' }));
  await tick();
  const sentBefore = port.sent.length;
  port.close();
  release({ kind: 'fallback' });
  await tick();
  assert.equal(port.sent.length, sentBefore);
  assert.equal(aborted.length, 2);
  assert.match(aborted[0], /BBBB/);
  assert.match(aborted[1], /CCCC/);

  // Ports from elsewhere are refused.
  const foreign = rt.connect({ ...SENDER, id: 'someone-else' });
  assert.equal(foreign.disconnected, true);
});

// ------------------------------------------------------------ legacy U2F API
const APP_ID = 'https://u2f.aws.amazon.com/app-id.json';
const u2fRegisterOptions = () => ({
  appId: APP_ID, registerRequests: [{ version: 'U2F_V2', challenge: b64(32) }],
  registeredKeys: [{ version: 'U2F_V2', keyHandle: b64(61) }], timeoutSeconds: 30,
});
const u2fSignOptions = () => ({ appId: APP_ID, challenge: b64(32), registeredKeys: [{ version: 'U2F_V2', keyHandle: b64(61) }] });

test('U2F page requests: shapes, limits, and no origin from the page', () => {
  assert.equal(M.validate('page', { type: 'u2f.register', requestId: RID, options: u2fRegisterOptions() }).ok, true);
  assert.equal(M.validate('page', { type: 'u2f.sign', requestId: RID, options: u2fSignOptions() }).ok, true);
  // Padded key handles and challenges are tolerated; the AppID may be left to the origin.
  const padded = { ...u2fSignOptions(), appId: undefined, challenge: `${b64(31)}=`, registeredKeys: [{ version: 'U2F_V2', keyHandle: `${b64(61)}=` }] };
  delete padded.appId;
  assert.equal(M.validate('page', { type: 'u2f.sign', requestId: RID, options: padded }).ok, true);
  const cases = [
    [{ ...u2fRegisterOptions(), registerRequests: [] }, /registerRequests/],
    [{ ...u2fRegisterOptions(), registerRequests: [{ version: 'U2F_V2', challenge: 'a b' }] }, /challenge/],
    [{ ...u2fRegisterOptions(), registeredKeys: [{ version: 'U2F_V2', keyHandle: b64(256) }] }, /keyHandle/],
    [{ ...u2fRegisterOptions(), registeredKeys: [{ version: 'U2F_V2', keyHandle: b64(61), transports: ['usb'] }] }, /transports: unexpected/],
    [{ ...u2fRegisterOptions(), timeoutSeconds: 601 }, /timeoutSeconds/],
    [{ ...u2fRegisterOptions(), origin: 'https://evil.test' }, /origin: unexpected/],
  ];
  for (const [options, re] of cases) {
    const v = M.validate('page', { type: 'u2f.register', requestId: RID, options });
    assert.equal(v.ok, false, JSON.stringify(options));
    assert.match(v.error, re);
  }
});

test('U2F results: response shapes per request type, U2F error names only for U2F', () => {
  const reg = { version: 'U2F_V2', registrationData: b64(300), clientData: b64(120) };
  const sig = { keyHandle: b64(61), signatureData: b64(75), clientData: b64(120) };
  assert.equal(M.validateResult({ kind: 'credential', credential: reg }, 'u2f.register').ok, true);
  assert.equal(M.validateResult({ kind: 'credential', credential: sig }, 'u2f.sign').ok, true);
  assert.equal(M.validateResult({ kind: 'credential', credential: sig }, 'u2f.register').ok, false);
  assert.equal(M.validateResult({ kind: 'credential', credential: { ...reg, version: 'U2F_V1' } }, 'u2f.register').ok, false);
  assert.equal(M.validateResult(M.error('U2fDeviceIneligible', 'x'), 'u2f.sign').ok, true);
  assert.equal(M.validateResult(M.error('U2fDeviceIneligible', 'x'), 'webauthn.get').ok, false);
});

test('U2F callback data: the API\'s error codes', () => {
  const code = (result) => J.u2fCallbackData(result).errorCode;
  assert.equal(code(M.error('U2fBadRequest', 'bad AppID')), 2);
  assert.equal(code(M.error('U2fConfigurationUnsupported', 'v1')), 3);
  assert.equal(code(M.error('U2fDeviceIneligible', 'not ours')), 4);
  assert.equal(code(M.error('U2fTimeout', 'late')), 5);
  assert.equal(code(M.error('NotAllowedError', 'worker gone')), 1);
  assert.equal(code(M.fallback()), 4, 'no browser U2F to fall back to');
  const sig = { keyHandle: b64(61), signatureData: b64(75), clientData: b64(120) };
  assert.deepEqual(J.u2fCallbackData(M.credential(sig)), sig);
  assert.equal('errorCode' in J.u2fCallbackData(M.credential(sig)), false);
});

test('U2F arguments -> JSON (page side)', () => {
  const j = J.u2fRegisterArgsToJSON(APP_ID, [{ version: 'U2F_V2', challenge: 'Y2g', appId: 'ignored' }],
    [{ version: 'U2F_V2', keyHandle: 'a2g', transports: ['usb'], appId: null }], 9999);
  assert.deepEqual(j, {
    appId: APP_ID, registerRequests: [{ version: 'U2F_V2', challenge: 'Y2g' }],
    registeredKeys: [{ version: 'U2F_V2', keyHandle: 'a2g' }], timeoutSeconds: 600,
  });
  assert.deepEqual(J.u2fSignArgsToJSON(undefined, 'Y2g', undefined), { challenge: 'Y2g', registeredKeys: [], timeoutSeconds: 30 });
  assert.throws(() => J.u2fRegisterArgsToJSON(APP_ID, null, []), TypeError);
  // Not a list: nothing to register with, which the bridge refuses (U2fBadRequest: BAD_REQUEST).
  const none = J.u2fRegisterArgsToJSON(APP_ID, 5, []);
  assert.equal(M.validate('page', { type: 'u2f.register', requestId: RID, options: none }).ok, false);
  assert.equal(M.answerable({ type: 'u2f.register', requestId: RID, options: none }), true);
});

test('router: U2F requests go to the U2F engine with the sender\'s origin', async () => {
  const rt = fakeRuntime();
  const seen = [];
  const answer = { kind: 'credential', credential: { keyHandle: b64(61), signatureData: b64(75), clientData: b64(120) } };
  attachRouter({
    makeCredential: async () => ({ kind: 'fallback' }),
    getAssertion: async () => ({ kind: 'fallback' }),
    u2fRegister: async () => M.error('U2fBadRequest', 'AppID refused'),
    u2fSign: async (req) => { seen.push(req); return answer; },
    abort: () => {},
  }, { runtime: rt, log: () => {} });
  const port = rt.connect(SENDER);
  const frame = { origin: SENDER.origin, topOrigin: null, sameOriginWithAncestors: true };
  port.deliver({ type: 'u2f.sign', requestId: RID, options: u2fSignOptions(), ...frame });
  await tick();
  assert.equal(seen[0].origin, SENDER.origin);
  assert.deepEqual(seen[0].options, u2fSignOptions());
  assert.deepEqual(port.sent.at(-1).result, answer);
  port.deliver({ type: 'u2f.register', requestId: 'DDDDDDDDDDDDDDDDDDDDDD', options: u2fRegisterOptions(), ...frame });
  await tick();
  assert.deepEqual(port.sent.at(-1).result,
    { kind: 'error', error: { name: 'U2fBadRequest', kind: 'badRequest', message: 'AppID refused' } });
});
test('mfa.captureQr: image sizes and byte lengths are bounded, secret and device name checked', () => {
  const v = (m) => M.validate('content', m);
  const image = (w, h, bytes = w * h * 4) => ({ width: w, height: h, rgba: b64(bytes, 255) });
  const ok = { type: 'mfa.captureQr', image: image(64, 48), secret: 'JBSWY3DPEHPK3PXP JBSWY3DPEHPK3PXP', deviceName: 'phone',
    account: '1234-5678-9012', user: 'alice', arn: 'arn:aws:iam::123456789012:mfa/phone' };
  assert.deepEqual(v(ok), { ok: true, error: null });
  assert.ok(v({ type: 'mfa.captureQr', image: image(21, 21), deviceName: 'x' }).ok, 'image alone');
  assert.ok(v({ type: 'mfa.captureQr', secret: 'A'.repeat(64), deviceName: 'x' }).ok, 'secret alone (tainted image)');
  const bad = [
    [{ ...ok, image: undefined, secret: undefined }, /needs an image or a secret/],
    [{ ...ok, image: image(64, 48, 64 * 48 * 4 - 1) }, /image\.rgba: must decode to 12288\.\.12288 bytes/],
    [{ ...ok, image: image(64, 48, 64 * 48) }, /image\.rgba/],
    [{ ...ok, image: { width: 1025, height: 21, rgba: '' } }, /image\.width: must be an integer 21\.\.1024/],
    [{ ...ok, image: { width: 20, height: 21, rgba: '' } }, /image\.width/],
    [{ ...ok, image: { width: 21.5, height: 21, rgba: '' } }, /image\.width/],
    [{ ...ok, image: { ...image(21, 21), extra: 1 } }, /image\.extra: unexpected field/],
    // Whether the text is base32 is the core's to say (it decodes it); here only its size.
    [{ ...ok, secret: 'A'.repeat(257) }, /secret: length/],
    [{ ...ok, secret: 'ABC' }, /secret: length/],
    [{ ...ok, deviceName: '   ' }, /deviceName: must not be blank/],
    [{ ...ok, account: 'x'.repeat(129) }, /account/],
    [{ ...ok, type: 'mfa.capture', secret: undefined }, /secret: must be a string/],
    [{ ...ok, type: 'mfa.nope' }, /type/],
  ];
  for (const [message, why] of bad) {
    const r = v(message);
    assert.equal(r.ok, false, JSON.stringify(Object.keys(message)));
    assert.match(r.error, why);
  }
});

test('every message is declared once with one hop; the UI, content and offscreen hops use the same validator', () => {
  const hops = ['page', 'bridge', 'content', 'ui', 'offscreen', 'worker'];
  const seen = new Map();
  for (const hop of hops) for (const t of M.typesOf(hop)) seen.set(t, [...(seen.get(t) ?? []), hop]);
  // A page request is also the bridge's (with the frame's context); nothing else is on two hops.
  for (const [type, on] of seen) {
    if (on.length > 1) assert.deepEqual(on, ['page', 'bridge'], type);
  }
  assert.deepEqual(M.typesOf('offscreen'), ['offscreen.clearClipboard']);
  assert.deepEqual([...UI_REQUESTS].sort(), M.typesOf('ui').sort());
  assert.ok(M.typesOf('content').includes('mfa.code') && M.typesOf('content').includes('mfa.captureQr'));
  // A message of one hop is refused on another.
  assert.match(validateUiRequest({ type: 'mfa.code' }), /no ui message/);
  assert.equal(M.validate('content', { type: 'vault.lock' }).ok, false);
  // UI requests: known fields only, sizes bounded.
  assert.equal(validateUiRequest({ type: 'vault.unlock', password: 'pw' }), null);
  assert.match(validateUiRequest({ type: 'vault.unlock', password: '' }), /password: length/);
  // The UI and content handlers read their fields one by one: an extra field reaches nothing.
  assert.equal(validateUiRequest({ type: 'vault.unlock', password: 'pw', extra: 1 }), null);
  assert.equal(M.validate('content', { type: 'mfa.code', autoSubmit: true }).ok, true);
  assert.match(validateUiRequest({ type: 'consent.answer', requestId: 'r', decision: 'maybe' }), /decision/);
  assert.equal(validateUiRequest({ type: 'totp.update', id: 'ab12', label: null, aws: { account: '1', directory: 'd-1' } }), null);
  assert.match(validateUiRequest({ type: 'totp.update', id: 'ab12', aws: { region: 'x' } }), /aws\.region: unexpected field/);
  assert.equal(validateUiRequest({ type: 'mfa.fillTab', tabId: 1, frameId: 0, origin: 'https://x.test', entryId: 'ab' }), null);
  assert.match(validateUiRequest({ type: 'mfa.fillTab', tabId: Number.NaN, frameId: 0, origin: 'https://x.test', entryId: 'ab' }), /tabId/);
  // Content requests: an e-mail is a bounded string (the core decides whether it is an address),
  // entry ids are bounded.
  assert.equal(M.validate('content', { type: 'mfa.amazonCapture', secret: 'A'.repeat(52), email: 'a@example.com' }).ok, true);
  assert.match(M.validate('content', { type: 'mfa.amazonCapture', secret: 'A'.repeat(52), email: 'a'.repeat(257) }).error, /email/);
  assert.match(M.validate('content', { type: 'mfa.amazonCapture', secret: 'A'.repeat(52), email: 42 }).error, /email/);
  assert.match(M.validate('content', { type: 'mfa.captureCodes', entryId: 'x'.repeat(65) }).error, /entryId/);
});

test('one error envelope {name, kind, message}: kinds are stable identifiers, messages only for people', () => {
  assert.deepEqual(M.envelope('NotAllowedError', 'no'), { name: 'NotAllowedError', kind: 'notAllowed', message: 'no' });
  assert.deepEqual(M.envelope('U2fDeviceIneligible', 'x'), { name: 'U2fDeviceIneligible', kind: 'deviceIneligible', message: 'x' });
  const wasm = Object.assign(new Error('That entry is already in the vault.'), { name: 'KeyringError', kind: 'duplicate' });
  assert.deepEqual(M.envelopeOf(wasm), { name: 'KeyringError', kind: 'duplicate', message: 'That entry is already in the vault.' });
  assert.deepEqual(failureReply(wasm), { ok: false, error: M.envelopeOf(wasm) });
  assert.equal(M.envelopeOf('a string').name, 'Error');
  assert.equal(M.error('U2fTimeout', 'late').error.kind, 'timeout');
  assert.equal(M.envelope('X', 'y'.repeat(5000)).message.length, M.LIMITS.stringMax);
  // Nothing in the extension branches on an error's words.
  const sources = ['background/mfa-handlers.js', 'background/router.js', 'background/ui-handlers.js',
    'content/mfa-capture.js', 'content/amazon-capture.js', 'content/mfa-fill.js', 'content/page.js', 'content/bridge.js']
    .map((f) => readFileSync(new URL(`../../extension/${f}`, import.meta.url), 'utf8'));
  for (const src of sources) assert.doesNotMatch(src, /\.test\((?:e|err|error)\??\.message\)|message\.(?:includes|match)\(/);
});

test('the page-only conversion is not in the isolated world or the worker', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));
  const isolated = manifest.content_scripts.filter((e) => e.world !== 'MAIN').flatMap((e) => e.js);
  assert.ok(!isolated.some((f) => f.endsWith('page-json.js') || f.endsWith('page.js')), isolated.join(' '));
  const main = manifest.content_scripts.filter((e) => e.world === 'MAIN').flatMap((e) => e.js);
  assert.deepEqual(main, ['extension/content/page-main.js']);
  for (const f of ['service-worker.js', 'router.js', 'mfa-handlers.js', 'u2f-engine.js', 'engine.js']) {
    const src = readFileSync(new URL(`../../extension/background/${f}`, import.meta.url), 'utf8');
    assert.doesNotMatch(src, /page-json|SoftKeyPageJson/, f);
  }
  // What the bridge's entry lists, in order: the codec, the validator, the declarations, itself.
  const bridge = manifest.content_scripts.find((e) => e.js.at(-1) === 'extension/content/bridge.js').js;
  assert.deepEqual(bridge, ['extension/shared/base64url.js', 'extension/shared/schema.js',
    'extension/shared/messages.js', 'extension/content/bridge.js']);
});
