/*
 * SoftKey for AWS — bridge (ISOLATED world, document_start, all frames).
 *
 * Page script <-> service worker relay.
 *  - Hands page.js a private MessagePort at document_start (see page.js).
 *  - Checks every request from the page against shared/messages.js's "page"
 *    declarations (shared/base64url.js, schema.js and messages.js are loaded
 *    before this file in the same world); the page is untrusted. Results from
 *    the worker were checked there and are relayed as they are.
 *  - Adds the frame's origin (the document's own origin, self.origin, never
 *    anything from the page), plus the top origin / sameOriginWithAncestors
 *    from location.ancestorOrigins.
 *  - A document that is never ours is answered "fallback" without asking the
 *    worker: an opaque origin (a sandboxed frame, or a page served with CSP
 *    `sandbox`, whose location still names the AWS host while its origin is
 *    "null"), or a document that is not https (about:blank, srcdoc, blob:).
 *  - Tells the worker whether this document is visible and focused, with each
 *    request and, for the top frame, when asked (silent signing is only for a
 *    document the user is looking at).
 *  - Forwards on a long-lived chrome.runtime port, opened lazily on the first
 *    request and reopened after the service worker went away; relays each
 *    result to the request id it answers.
 */
(function () {
  'use strict';

  const M = globalThis.SoftKeyMessages;
  if (!M || typeof chrome === 'undefined' || !chrome.runtime || !chrome.runtime.id) return;
  const T = M.MessageType;
  const KEEPALIVE_MS = 20000; // < the 30 s idle limit of an MV3 service worker

  const { port1: pagePort, port2 } = new MessageChannel();
  window.postMessage({ channel: M.CHANNEL, kind: 'init' }, '*', [port2]);

  /** requestId -> type ("webauthn.create" | "webauthn.get" | "u2f.*") of requests in flight. */
  const inflight = new Map();
  let worker = null;
  let keepalive = null;

  function replyToPage(requestId, result) {
    pagePort.postMessage({ type: T.RESULT, requestId, result });
  }

  /** Never ours: an opaque origin or a document that is not https (see above). Read when asked,
   * since a sandboxed document's origin is only opaque once the document has its policies. */
  function neverOurs() {
    try {
      return self.origin === 'null' || location.protocol !== 'https:' || self.origin !== location.origin;
    } catch (_) {
      return true;
    }
  }

  /** Where this frame sits: its own origin, and the top-level origin when cross-origin. */
  function frameContext() {
    const origin = self.origin;
    if (window === window.top) return { origin, topOrigin: null, sameOriginWithAncestors: true };
    const anc = location.ancestorOrigins;
    let same = true;
    let top = null;
    if (anc && anc.length) {
      for (let i = 0; i < anc.length; i++) if (anc[i] !== origin) same = false;
      top = anc[anc.length - 1];
    } else {
      try { top = window.top.location.origin; same = top === origin; } catch (_) { same = false; }
    }
    return { origin, topOrigin: same ? null : top, sameOriginWithAncestors: same };
  }

  /** Cross-origin frames need the permissions policy, exactly as the browser requires. */
  function featureAllowed(type) {
    const feature = type === T.CREATE ? 'publickey-credentials-create' : 'publickey-credentials-get';
    try {
      const fp = document.featurePolicy;
      return !fp || fp.allowsFeature(feature);
    } catch (_) {
      return true;
    }
  }

  /** The frame's transient activation (shared by the page's world and ours). */
  function hasUserActivation() {
    const ua = navigator.userActivation;
    return !ua || ua.isActive;
  }

  function failInflight(message) {
    for (const id of inflight.keys()) {
      replyToPage(id, M.error('NotAllowedError', message));
    }
    inflight.clear();
    updateKeepalive();
  }

  function updateKeepalive() {
    if (inflight.size && worker && !keepalive) {
      keepalive = setInterval(() => {
        try { if (worker) worker.postMessage({ type: T.KEEPALIVE }); } catch (_) { /* reconnect later */ }
      }, KEEPALIVE_MS);
    } else if ((!inflight.size || !worker) && keepalive) {
      clearInterval(keepalive);
      keepalive = null;
    }
  }

  function connect() {
    if (worker) return worker;
    const p = chrome.runtime.connect({ name: M.PORT_NAME });
    p.onMessage.addListener(onWorkerMessage);
    p.onDisconnect.addListener(() => {
      void chrome.runtime.lastError; // read it so Chrome does not log "unchecked"
      if (worker === p) worker = null;
      // A request cannot be resumed by a new worker: its consent UI is gone.
      failInflight('The operation either timed out or was not allowed.');
    });
    worker = p;
    return p;
  }

  function onWorkerMessage(msg) {
    if (!msg || typeof msg !== 'object' || msg.type !== T.RESULT) return;
    const id = msg.requestId;
    if (typeof id !== 'string' || !inflight.has(id)) return; // answered, aborted, or not ours
    inflight.delete(id);
    updateKeepalive();
    replyToPage(id, msg.result);
  }

  function send(message) {
    try {
      connect().postMessage(message);
      return true;
    } catch (_) {
      // Worker port closed under us (or the extension was reloaded): one retry on a fresh port.
      worker = null;
      try {
        connect().postMessage(message);
        return true;
      } catch (e) {
        return false;
      }
    }
  }

  // The worker asks before signing without a prompt: is this document in front of the user?
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (!message || message.type !== 'softkey.frameState' || sender.id !== chrome.runtime.id || sender.tab) return false;
    sendResponse({ visible: document.visibilityState === 'visible', focused: document.hasFocus() });
    return false;
  });

  pagePort.onmessage = (ev) => {
    const msg = ev.data;
    const v = M.validate('page', msg);
    if (!v.ok) {
      console.warn('[SoftKey] refused page request:', v.error);
      // Answer a well-formed id so the page's promise settles: the browser handles a WebAuthn
      // request it can serve; a U2F one (no browser U2F left) is the API's BAD_REQUEST.
      if (M.answerable(msg)) {
        replyToPage(msg.requestId, M.isU2fType(msg.type) ? M.error('U2fBadRequest', v.error) : M.fallback());
      }
      return;
    }
    if (msg.type === T.ABORT) {
      if (!inflight.delete(msg.requestId)) return;
      updateKeepalive();
      if (worker) send({ type: T.ABORT, requestId: msg.requestId, ...frameContext() });
      return;
    }
    if (inflight.has(msg.requestId)) return; // duplicate id: ignore
    if (neverOurs()) {
      replyToPage(msg.requestId, M.fallback()); // the browser answers (or refuses) it itself
      return;
    }
    const ctx = frameContext();
    if (!ctx.sameOriginWithAncestors && !featureAllowed(msg.type)) {
      replyToPage(msg.requestId, M.fallback()); // the browser raises NotAllowedError itself
      return;
    }
    // Chromium lets a cross-origin frame create a credential only with transient user activation
    // (WebAuthn L3, [[Create]] step "sameOriginWithAncestors is false"); without it the browser
    // refuses at once, and so must we: no consent window a framing page could raise at will.
    if (!ctx.sameOriginWithAncestors && msg.type === T.CREATE && !hasUserActivation()) {
      replyToPage(msg.requestId, M.fallback());
      return;
    }
    inflight.set(msg.requestId, msg.type);
    // Whether the user can see this document now: read here, where no further round trip is
    // needed; the worker trusts only the browser for the tab being the active one.
    const out = { type: msg.type, requestId: msg.requestId, options: msg.options, ...ctx,
      visible: document.visibilityState === 'visible', focused: document.hasFocus() };
    if (!send(out)) {
      inflight.delete(msg.requestId);
      // Extension context gone (updated/reloaded): let the browser answer.
      replyToPage(msg.requestId, M.fallback());
      return;
    }
    updateKeepalive();
  };
})();
