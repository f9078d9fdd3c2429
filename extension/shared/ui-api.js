// The messages extension pages (popup, setup, unlock, consent, fill, export) send to the service
// worker: declared with every other message in shared/messages.js (hop "ui", with what each
// answers), checked once by the worker's listener with `validateUiRequest` before it acts.
// Pages call `call(type, payload)`.
//
// Every reply is `{ok: true, value}` or `{ok: false, error: {name, kind, message}}` (the one
// error envelope, `failureReply`); `call` turns the latter into a thrown Error with that name and
// kind. Code branches on `kind` or `name` ("WrongPassword", "NotFound", "VaultLocked", "NoVault",
// "BadRequest", …), never on the message.
import './base64url.js';
import './schema.js';
import './messages.js';

/** @typedef {{account?: string, user?: string, arn?: string, directory?: string}} AwsContext */

const M = globalThis.SoftKeyMessages;

/** The request types extension pages may send. */
export const UI_REQUESTS = Object.freeze(M.typesOf('ui'));

/** Checks a request from an extension page; returns why it is refused, or null. */
export function validateUiRequest(message) {
  const v = M.validate('ui', message);
  return v.ok ? null : v.error;
}

/** The reply for a failed request: whatever was thrown, as the error envelope. */
export function failureReply(e) {
  return { ok: false, error: M.envelopeOf(e) };
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
  return M.validate('offscreen', message).ok;
}

/** Sends a request from an extension page and returns its value, or throws a named Error. */
export async function call(type, payload = {}) {
  // A worker stopped mid-request closes the channel: Chrome rejects with its own wording
  // ("message channel closed before a response was received"), which says nothing to a user.
  const reply = await chrome.runtime.sendMessage({ ...payload, type }).catch(() => null);
  if (!reply) throw Object.assign(new Error('the extension did not answer'), { name: 'NoAnswer', kind: 'noAnswer' });
  if (!reply.ok) {
    const { name, kind, message } = reply.error;
    throw Object.assign(new Error(message), { name, kind: kind ?? M.envelope(name, message).kind });
  }
  return reply.value;
}
