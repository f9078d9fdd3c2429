// SoftKey for AWS — service-worker side of the content-script channel.
//
// Usage (top level of the service worker, synchronously):
//   import { attachRouter } from './router.js';
//   attachRouter(engine);
//
// Trust: the origin is taken ONLY from the browser-supplied port.sender
// (sender.origin, else the origin of sender.url); the bridge's claimed origin
// must match it. Every message is checked against shared/messages.js's "bridge"
// declarations here, the worker's one check of it, and every engine answer is
// checked once before it leaves the worker (neither the bridge nor the page checks
// it again).
//
// Never ours, handed back to the browser (which refuses or answers them itself): a document
// with an opaque origin (a sandboxed frame, a page served with CSP `sandbox`: sender.origin
// is "null", and is NOT rebuilt from the URL, which still names the AWS host), and a frame
// that is not an https document (about:blank, srcdoc, blob:). A tab may have at most
// MAX_INFLIGHT_PER_TAB requests in flight; more are refused, as Chrome refuses a second
// request while one is pending, and nothing already waiting is dropped.
import '../shared/base64url.js';
import '../shared/schema.js';
import '../shared/messages.js';

const M = globalThis.SoftKeyMessages;
const T = M.MessageType;

/**
 * @typedef {object} EngineRequest
 * @property {string} requestId   unique within the worker: "<port serial>.<page request id>"
 * @property {string} origin      the calling frame's origin (from port.sender)
 * @property {string|null} topOrigin  top-level origin when the frame is cross-origin, else null
 * @property {boolean} sameOriginWithAncestors
 * @property {object} options     CreationOptionsJSON | RequestOptionsJSON (validated)
 * @property {number} tabId
 * @property {number} frameId
 * @property {string|undefined} documentId
 */
/**
 * @typedef {object} Engine
 * @property {(req: EngineRequest) => Promise<{kind:'credential', credential: object}|{kind:'fallback'}>} makeCredential
 * @property {(req: EngineRequest) => Promise<{kind:'credential', credential: object}|{kind:'fallback'}>} getAssertion
 * @property {(req: EngineRequest) => Promise<object>} [u2fRegister]  legacy U2F: a Result
 * @property {(req: EngineRequest) => Promise<object>} [u2fSign]      legacy U2F: a Result
 * @property {(req: {requestId: string, origin: string, tabId: number, frameId: number}) => unknown} abort
 *   Rejections of makeCredential/getAssertion are {name, kind?, message} with a DOMException name.
 */

/** Requests one tab may have in flight at once (the core keeps as many pending per tab). */
export const MAX_INFLIGHT_PER_TAB = 16;

/** Serialized origin of a URL string, or null. */
function originOfUrl(u) {
  try {
    const url = new URL(u);
    return url.origin === 'null' ? null : url.origin;
  } catch (_) {
    return null;
  }
}

/** The calling frame's origin as the browser reports it; null for an opaque origin. */
export function senderOrigin(sender) {
  if (!sender) return null;
  // "null" is an opaque origin: the document's URL may name an AWS host, but it is not one.
  if (typeof sender.origin === 'string') return sender.origin === 'null' ? null : sender.origin;
  return sender.url ? originOfUrl(sender.url) : null;
}

/** Whether the sending frame is an ordinary https document with a real origin. */
export function isHttpsDocument(sender) {
  if (!sender || typeof sender.url !== 'string' || !sender.url.startsWith('https:')) return false;
  return senderOrigin(sender) !== null;
}

/** Turn whatever the engine threw into a valid error result (a DOMException name for the page). */
function errorResult(e) {
  const { name, kind, message } = M.envelopeOf(e, 'UnknownError');
  return M.ERROR_NAMES.includes(name) ? M.error(name, message, kind) : M.error('UnknownError', message, kind);
}

/** Whether SoftKey answers WebAuthn on this origin: the site table (shared/sites.js, generated
 * from the Rust core) says. */
const isInterceptedOrigin = (origin) => !!globalThis.SoftKeySites?.originHas(origin, 'webauthn');

/**
 * Register the chrome.runtime.onConnect listener and route messages to the engine.
 * @param {Engine} engine
 * @param {{runtime?: typeof chrome.runtime, log?: (…args: any[]) => void}} [deps] for tests
 * @returns {{inflight: () => number}}
 */
export function attachRouter(engine, { runtime = globalThis.chrome && globalThis.chrome.runtime, log = console.warn } = {}) {
  const handlers = {
    [T.CREATE]: (req) => engine.makeCredential(req),
    [T.GET]: (req) => engine.getAssertion(req),
    // Legacy U2F API (u2f-engine.js); options are U2fRegister/SignOptionsJSON.
    [T.U2F_REGISTER]: (req) => engine.u2fRegister(req),
    [T.U2F_SIGN]: (req) => engine.u2fSign(req),
  };
  let portSerial = 0;
  let inflightTotal = 0;
  const inflightByTab = new Map(); // tabId -> requests in flight
  const countTab = (tabId, delta) => {
    const n = (inflightByTab.get(tabId) ?? 0) + delta;
    if (n > 0) inflightByTab.set(tabId, n);
    else inflightByTab.delete(tabId);
  };

  runtime.onConnect.addListener((port) => {
    if (port.name !== M.PORT_NAME) return;
    const sender = port.sender || {};
    // Only our own content scripts, in a tab frame.
    if (sender.id !== runtime.id || !sender.tab || typeof sender.frameId !== 'number') {
      log('[SoftKey] refusing port from', sender.url);
      port.disconnect();
      return;
    }
    const serial = ++portSerial;
    /** page requestId -> {type, engineId} */
    const inflight = new Map();
    let open = true;

    const reply = (requestId, result) => {
      if (!open) return;
      try {
        port.postMessage({ type: T.RESULT, requestId, result });
      } catch (_) { /* port closed meanwhile */ }
    };

    const tabId = sender.tab.id;
    const baseRequest = (msg, origin) => ({
      // The core counts pending requests per tab by the part before the first '.'.
      requestId: `${tabId}.${serial}.${msg.requestId}`,
      origin,
      topOrigin: msg.topOrigin,
      sameOriginWithAncestors: msg.sameOriginWithAncestors,
      tabId: sender.tab.id,
      frameId: sender.frameId,
      documentId: sender.documentId,
      // The frame's URL as the browser reports it (when the port opened): what the site table
      // reads a directory or account from; never the page's claim.
      url: typeof sender.url === 'string' ? sender.url : undefined,
      // The frame's own report (a hint: the engine asks the browser whether the tab is active).
      visible: msg.visible === true,
      focused: msg.focused === true,
    });

    port.onMessage.addListener((msg) => {
      const v = M.validate('bridge', msg);
      if (!v.ok) {
        log('[SoftKey] invalid message from content script:', v.error);
        if (M.answerable(msg)) {
          // From a frame that is never ours, the browser answers; else the bridge broke the rules.
          reply(msg.requestId, isHttpsDocument(sender)
            ? M.error('NotAllowedError', 'SoftKey: malformed request', 'badRequest') : M.fallback());
        }
        return;
      }
      if (msg.type === T.KEEPALIVE) return;

      const origin = senderOrigin(sender);
      if (msg.type === T.ABORT) {
        const entry = inflight.get(msg.requestId);
        if (!entry) return;
        inflight.delete(msg.requestId);
        inflightTotal--;
        countTab(tabId, -1);
        try {
          Promise.resolve(engine.abort({ ...baseRequest(msg, origin), requestId: entry.engineId }))
            .catch(() => {});
        } catch (_) { /* engine without abort support */ }
        return;
      }

      // Opaque origins and non-https documents are never ours: the browser answers them.
      if (!isHttpsDocument(sender)) {
        reply(msg.requestId, M.fallback());
        return;
      }
      // The origin comes from the browser; the claim must agree with it.
      if (origin !== msg.origin) {
        reply(msg.requestId, M.error('SecurityError', 'The calling origin could not be verified.', 'originMismatch'));
        return;
      }
      if (sender.frameId === 0 && !msg.sameOriginWithAncestors) {
        reply(msg.requestId, M.error('SecurityError', 'A top-level frame has no cross-origin ancestors.', 'originMismatch'));
        return;
      }
      const tabOrigin = sender.tab.url ? originOfUrl(sender.tab.url) : null;
      // A tab of a site we have no access to hides its URL: then the claimed embedder cannot be
      // compared here, and the core checks its form (Caller::checked_origin) before any prompt.
      if (tabOrigin && (msg.sameOriginWithAncestors ? tabOrigin !== origin : tabOrigin !== msg.topOrigin)) {
        reply(msg.requestId, M.error('SecurityError', 'The top-level origin could not be verified.', 'originMismatch'));
        return;
      }
      if (!isInterceptedOrigin(origin)) {
        reply(msg.requestId, M.fallback());
        return;
      }
      if (inflight.has(msg.requestId)) return; // duplicate id
      if ((inflightByTab.get(tabId) ?? 0) >= MAX_INFLIGHT_PER_TAB) {
        reply(msg.requestId, M.error('NotAllowedError', 'A request is already pending.', 'busy'));
        return;
      }

      const req = { ...baseRequest(msg, origin), options: msg.options };
      inflight.set(msg.requestId, { type: msg.type, engineId: req.requestId });
      inflightTotal++;
      countTab(tabId, 1);
      const done = (result) => {
        if (!inflight.has(msg.requestId)) return; // aborted or port gone
        inflight.delete(msg.requestId);
        inflightTotal--;
        countTab(tabId, -1);
        reply(msg.requestId, result);
      };
      let promise;
      try {
        promise = Promise.resolve(handlers[msg.type](req));
      } catch (e) {
        promise = Promise.reject(e);
      }
      promise.then((result) => {
        // The one check of an answer: after this nothing re-checks it on its way to the page.
        const rv = M.validateResult(result, msg.type);
        if (!rv.ok) log('[SoftKey] engine returned an invalid result:', rv.error);
        done(rv.ok ? result : M.error('UnknownError', 'SoftKey: internal error', 'internal'));
      }, (e) => done(errorResult(e)));
    });

    port.onDisconnect.addListener(() => {
      open = false;
      // Tab closed or navigated: cancel whatever that frame still had pending.
      for (const [, entry] of inflight) {
        inflightTotal--;
        countTab(tabId, -1);
        try {
          Promise.resolve(engine.abort({
            requestId: entry.engineId, origin: senderOrigin(sender), tabId: sender.tab.id, frameId: sender.frameId,
          })).catch(() => {});
        } catch (_) { /* ignore */ }
      }
      inflight.clear();
    });
  });

  return { inflight: () => inflightTotal };
}
