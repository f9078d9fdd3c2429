// The messages extension pages (popup, setup, unlock, consent) send to the service worker.
// One definition, used by both sides: pages call `call(type, payload)`, the service worker
// validates each request against UI_REQUESTS before it acts.
//
// Every reply is `{ok: true, value}` or `{ok: false, error: {name, message}}`; `call` turns the
// latter into a thrown Error with that name (e.g. "WrongPassword", "NotFound", "InvalidEntry",
// "VaultLocked", "NoVault", "BadRequest").

/** @typedef {{account?: string, user?: string, arn?: string}} AwsContext */

const str = (v) => typeof v === 'string';
const optStr = (v) => v === undefined || v === null || typeof v === 'string';
const aws = (v) => v === undefined || v === null ||
  (typeof v === 'object' && optStr(v.account) && optStr(v.user) && optStr(v.arn));
const password = (v) => str(v) && v.length > 0 && v.length <= 1024;
/** A file to import, base64url: at most the core's 4 MiB (the core checks again). */
const fileData = (v) => str(v) && v.length > 0 && v.length <= Math.ceil((4 * 1024 * 1024 * 4) / 3) + 4 &&
  /^[A-Za-z0-9_-]+$/.test(v);
/** A one-time code as the core makes them (6 to 8 digits; a little slack either way). */
const code = (v) => str(v) && /^[0-9]{4,10}$/.test(v);

/** Request type → validator of its payload (besides `type`). */
export const UI_REQUESTS = Object.freeze({
  // → {state: 'none'|'locked'|'unlocked', settings?: Settings, notice?: string (the vault was repaired)}
  'vault.status': () => true,
  // → null: the user has read the notice; vault.status stops sending it
  'vault.dismissNotice': () => true,
  // {password} → {state}
  'vault.create': (p) => password(p.password),
  // {password} → {state}; WrongPassword on a wrong password
  'vault.unlock': (p) => password(p.password),
  // → {state: 'locked'}
  'vault.lock': () => true,
  // {oldPassword, newPassword} → null
  'vault.changePassword': (p) => password(p.oldPassword) && password(p.newPassword),
  // → SecurityKeySummary[] ({id, rpId, label, userName, aws, signCount, discoverable, createdMs, lastUsedMs})
  'keys.list': () => true,
  // {id, label?, aws?, askBeforeSignIn?} → null
  'keys.update': (p) => str(p.id) && optStr(p.label) && aws(p.aws) &&
    (p.askBeforeSignIn === undefined || typeof p.askBeforeSignIn === 'boolean'),
  // {id} → null
  'keys.delete': (p) => str(p.id),
  // → TotpCode[] ({id, label, issuer, account, aws, code, secondsRemaining, period})
  'totp.list': () => true,
  // {text: otpauth URI or base32 secret, label?, aws?} → TotpCode
  'totp.add': (p) => str(p.text) && p.text.length <= 8192 && optStr(p.label) && aws(p.aws),
  // {id, label?, aws?} → null
  'totp.update': (p) => str(p.id) && optStr(p.label) && aws(p.aws),
  // {id} → null
  'totp.delete': (p) => str(p.id),
  // {id, password} → the otpauth:// URI (the password is asked again before a secret is shown)
  'totp.reveal': (p) => str(p.id) && password(p.password),
  // → Settings ({autoLockMinutes, attestationFormat, autoApproveSignIn,
  //   autoSubmit: {aws, amazon} (per site; the core still reads a single boolean as both),
  //   clearClipboard, clearClipboardSeconds (3 to 600, default 30)})
  'settings.get': () => true,
  // {settings} → null
  'settings.set': (p) => typeof p.settings === 'object' && p.settings !== null,
  // {tabId, frameId, origin, entryId} → null: types the entry's current code into the focused
  // field of that frame (the "Fill MFA code" menu), if the frame is still on `origin`.
  'mfa.fillTab': (p) => Number.isInteger(p.tabId) && p.tabId >= 0 && Number.isInteger(p.frameId) &&
    p.frameId >= 0 && str(p.origin) && /^https?:\/\/[^/]+$/.test(p.origin) && str(p.entryId),
  // {code, copiedAt: ms since the epoch} → {clearAt, seconds} | null: the popup put `code` on the
  // clipboard; with the clearClipboard setting on, the worker empties it `seconds`
  // (clearClipboardSeconds) after copiedAt if it still holds that code (background/clipboard.js).
  // null: the setting is off.
  'clipboard.copied': (p) => code(p.code) && Number.isFinite(p.copiedAt) && p.copiedAt > 0,
  // {requestId} → the pending prompt: {kind: 'create'|'get'|'u2fRegister', rpId, origin,
  //   userName, aws, appId?, noFallback?, ...}
  'consent.get': (p) => str(p.requestId),
  // {requestId, decision: 'approve'|'fallback'|'cancel', label?} → null
  'consent.answer': (p) => str(p.requestId) && ['approve', 'fallback', 'cancel'].includes(p.decision) && optStr(p.label),
  // Export and import (ui/export.html; docs/key-transfer.md). Files travel as base64url.
  // {password (the vault's, asked again), format: 'backup'|'otpauth'|'googleMigration'|
  //  'aegisPlain'|'aegisEncrypted'|'bitwarden', keys: 'move'|'copy'|'omit', filePassword?}
  //   → {files: [{name, mime, data}]}
  'transfer.export': (p) => password(p.password) &&
    ['backup', 'otpauth', 'googleMigration', 'aegisPlain', 'aegisEncrypted', 'bitwarden'].includes(p.format) &&
    ['move', 'copy', 'omit'].includes(p.keys) && (p.filePassword === undefined || password(p.filePassword)),
  // {data, filePassword?} → {format, preview}: what importing would do; nothing is stored
  'transfer.preview': (p) => fileData(p.data) && (p.filePassword === undefined || password(p.filePassword)),
  // {data, filePassword?} → {format, preview}: imported
  'transfer.import': (p) => fileData(p.data) && (p.filePassword === undefined || password(p.filePassword)),
});

/** Checks a request; returns an error message or null. */
export function validateUiRequest(message) {
  if (typeof message !== 'object' || message === null || !str(message.type)) return 'not a request';
  const check = UI_REQUESTS[message.type];
  if (!check) return `unknown request type ${message.type}`;
  return check(message) ? null : `malformed ${message.type} request`;
}

/**
 * The one request the service worker sends its offscreen document (extension/offscreen/):
 * {type: OFFSCREEN_CLEAR_CLIPBOARD, code} → {outcome: 'cleared' | 'changed' | 'unreadable' | 'unwritable'}.
 * It empties the clipboard only if it holds exactly `code` ('changed': something else is there
 * now, e.g. the user copied since, and it is left alone).
 */
export const OFFSCREEN_CLEAR_CLIPBOARD = 'offscreen.clearClipboard';

/** Checks a request to the offscreen document; true when well formed. */
export function validOffscreenRequest(message) {
  return typeof message === 'object' && message !== null && message.type === OFFSCREEN_CLEAR_CLIPBOARD &&
    code(message.code);
}

/** Sends a request from an extension page and returns its value, or throws a named Error. */
export async function call(type, payload = {}) {
  // A worker stopped mid-request closes the channel: Chrome rejects with its own wording
  // ("message channel closed before a response was received"), which says nothing to a user.
  const reply = await chrome.runtime.sendMessage({ ...payload, type }).catch(() => null);
  if (!reply) throw Object.assign(new Error('the extension did not answer'), { name: 'NoAnswer' });
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { name: reply.error.name });
  return reply.value;
}
