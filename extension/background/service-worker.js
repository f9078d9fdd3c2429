// @ts-check
// The service worker: the only code that loads the wasm core and opens the vault.
//
// Listeners are registered synchronously at the top level (a restarted worker must find them
// before the event that woke it is dispatched); the wasm is instantiated once and awaited inside
// each handler.
import { mark } from './cold-trace.js';
// The site table (generated from the Rust core) first: messages.js and mfa-handlers.js ask it.
import '../shared/sites.js';
import { attachRouter } from './router.js';
import { createEngine } from './engine.js';
import { createU2fEngine } from './u2f-engine.js';
import { VaultSession } from './vault-session.js';
import { uiHandlers } from './ui-handlers.js';
import { validateUiRequest, failureReply } from '../shared/ui-api.js';
import { attachMfaHandlers } from './mfa-handlers.js';
import { installFillMenu } from './fill-menu.js';
import { clipboardClearer } from './clipboard.js';
// The QR module is its own wasm: imported statically (a module service worker cannot import()
// later) but instantiated only when a QR code is first read, so sign-ins never pay for it.
import initQr, { decodeRgba } from '../../wasm/softkey_qr.js';
// Export and import, the same way: instantiated when the export page first asks.
import initTransfer, * as transferModule from '../../wasm/softkey_transfer.js';

mark('evaluated');

let transferReady = null;
const transfer = async () => {
  transferReady ??= initTransfer().catch((e) => { transferReady = null; throw e; });
  await transferReady;
  return transferModule;
};
// A vault whose contents are still JSON is rewritten once by the transfer module, which has
// the JSON reader the sign-in module leaves out.
const session = new VaultSession({
  migrate: async (envelope, password, sessionKey) => (await transfer()).migrateVault(envelope, password, sessionKey),
});
// Empties the clipboard after the popup copied a code (setting clearClipboard).
const clipboard = clipboardClearer(session);
const handlers = uiHandlers(session, { clipboard, transfer });

const webauthn = createEngine(session);
const u2f = createU2fEngine(session);
// One router for WebAuthn and the legacy U2F API; an abort goes to whichever holds the request.
attachRouter({
  ...webauthn,
  ...u2f,
  abort: (request) => {
    webauthn.abort(request);
    u2f.abort(request);
  },
});
// TOTP codes for AWS sign-in and entries from the IAM page: content scripts only.
let qrReady = null;
// The QR reader is fuzzed without a known panic (tests/fuzz, qr_decode), but it reads pixels a
// page chose, and with panic = "abort" a panic would be a wasm trap. The instance survives a trap
// but leaks the shadow stack it was using (after a few hundred traps it fails), so after one trap
// this worker reads no more QR codes: the capture falls back to the secret key shown as text, and
// a restarted worker (they stop after 30 s idle) has a fresh instance.
let qrTrapped = false;
const qrUnreadable = () => Object.assign(new Error('the QR code on this page could not be read'), { name: 'QrUnreadable' });
attachMfaHandlers(session, {
  decodeQr: async (rgba, width, height) => {
    if (qrTrapped) throw qrUnreadable();
    qrReady ??= initQr().catch((e) => { qrReady = null; throw e; });
    await qrReady;
    try {
      return decodeRgba(rgba, width, height);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      qrTrapped = true;
      throw qrUnreadable();
    }
  },
});
// The user-started "Fill MFA code" menu on any field.
installFillMenu();

const extensionPagePrefix = chrome.runtime.getURL('');

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Content scripts also send from our extension id; only our own pages may use this API.
  if (sender.id !== chrome.runtime.id || !sender.url?.startsWith(extensionPagePrefix)) return false;
  if (message?.type === 'softkey:ping') {
    session.load().then(() => sendResponse({ ok: true }), (e) => sendResponse(failureReply(e)));
    return true;
  }
  const invalid = validateUiRequest(message);
  if (invalid) {
    sendResponse(failureReply({ name: 'BadRequest', kind: 'badRequest', message: invalid }));
    return false;
  }
  // The user's own actions keep the vault open (the auto-lock timer restarts); a page's requests
  // never do. A prompt window reading what to show was opened by a page, not by the user.
  if (message.type !== 'consent.get') session.touch();
  Promise.resolve()
    .then(() => handlers[message.type](message))
    .then(
      (value) => sendResponse({ ok: true, value: value ?? null }),
      (e) => sendResponse(failureReply(e)),
    );
  return true;
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (VaultSession.isAutoLockAlarm(alarm)) session.lock();
  else if (clipboard.isAlarm(alarm)) clipboard.run();
});

// Warm the wasm and the vault as soon as the worker starts, not on the first request.
session.load();
mark('listening');
