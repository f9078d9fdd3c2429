/*
 * SoftKey for AWS — page script (MAIN world, document_start, all frames).
 *
 * Wraps CredentialsContainer.prototype.create/get so that WebAuthn calls on
 * AWS pages reach the extension. It does NOT replace navigator.credentials
 * (other extensions, e.g. 1Password, guard that property with a setter); it
 * redefines the two prototype methods, keeping whatever was there before
 * (the browser's originals, or another script's wrappers) for fallback.
 *
 * Channel to the bridge: the bridge (isolated world) creates a MessageChannel
 * at document_start and posts one port to this window. We take it in a
 * capture listener registered before any page script can run, accept only a
 * trusted event (isTrusted, source === window), stop its propagation so page
 * listeners never see the port, and accept only the first one. From then on
 * requests and results travel on that private port; page scripts cannot read
 * or inject messages there. (Even so, the bridge validates everything and
 * takes the origin from its own location, because the page is untrusted.)
 *
 * Requests are sent as JSON-form options, converted by content/page-json.js. The
 * build ships this file as ONE file, content/page-main.js (shared/sites.js,
 * shared/base64url.js, shared/messages.js, content/page-json.js, then page.js),
 * because Chrome will not inject a file into a second world of the same frame. We
 * take their globals and delete them. The page's messages are checked once, by the
 * bridge; answers come from the worker, which checked them before they left it.
 *
 * It also provides the legacy FIDO U2F JavaScript API (window.u2f.register/sign, see the end of
 * this file), which nothing in Chrome answers since its built-in U2F support was removed.
 */
(function () {
  'use strict';

  const M = globalThis.SoftKeyMessages;
  const J = globalThis.SoftKeyPageJson;
  const SITES = globalThis.SoftKeySites;
  for (const name of ['SoftKeyMessages', 'SoftKeyPageJson', 'SoftKeySites', 'SoftKeyBase64url']) {
    try { delete globalThis[name]; } catch (_) { /* non-configurable: leave it */ }
  }
  if (!M || !J || typeof CredentialsContainer === 'undefined' || typeof PublicKeyCredential === 'undefined') return;
  // A document with an opaque origin (sandboxed) or that is not https (about:blank, srcdoc) is
  // never ours: leave the browser's methods alone. The bridge and the worker check this too.
  try {
    if (self.origin === 'null' || location.protocol !== 'https:') return;
  } catch (_) {
    return;
  }

  // Intrinsics captured before page scripts run.
  const proto = CredentialsContainer.prototype;
  const createDesc = Object.getOwnPropertyDescriptor(proto, 'create');
  const getDesc = Object.getOwnPropertyDescriptor(proto, 'get');
  if (!createDesc || !getDesc || typeof createDesc.value !== 'function' || typeof getDesc.value !== 'function') return;
  const originalCreate = createDesc.value;
  const originalGet = getDesc.value;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const objectCreate = Object.create;
  const PromiseCtor = Promise;
  const DOMExceptionCtor = DOMException;
  const TypeErrorCtor = TypeError;
  const PKC_PROTO = PublicKeyCredential.prototype;
  const ATT_PROTO = AuthenticatorAttestationResponse.prototype;
  const ASN_PROTO = AuthenticatorAssertionResponse.prototype;
  const addEventListener = EventTarget.prototype.addEventListener;
  const removeEventListener = EventTarget.prototype.removeEventListener;
  const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;
  const portPostMessage = MessagePort.prototype.postMessage;
  const setTimer = setTimeout;
  const clearTimer = clearTimeout;
  const HANDSHAKE_TIMEOUT_MS = 5000;

  // ------------------------------------------------------------ channel

  let port = null;
  let portWaiters = [];
  function onInit(ev) {
    if (port || !ev.isTrusted || ev.source !== window) return;
    const d = ev.data;
    if (!d || typeof d !== 'object' || d.channel !== M.CHANNEL || d.kind !== 'init') return;
    if (!ev.ports || ev.ports.length !== 1) return;
    apply(stopImmediatePropagation, ev, []);
    apply(removeEventListener, window, ['message', onInit, true]);
    port = ev.ports[0];
    port.onmessage = onPortMessage;
    const waiters = portWaiters;
    portWaiters = [];
    waiters.forEach((w) => w(port));
  }
  apply(addEventListener, window, ['message', onInit, true]);

  /** Resolves with the port, or null when no bridge answered in time. */
  function whenPort() {
    if (port) return PromiseCtor.resolve(port);
    return new PromiseCtor((resolve) => {
      const t = setTimeout(() => {
        portWaiters = portWaiters.filter((w) => w !== waiter);
        resolve(null);
      }, HANDSHAKE_TIMEOUT_MS);
      const waiter = (p) => { clearTimeout(t); resolve(p); };
      portWaiters.push(waiter);
    });
  }

  /** requestId -> {type, resolve, reject, fallback(), cleanup(), settle?(result)} */
  const pending = new Map();

  function onPortMessage(ev) {
    const msg = ev.data;
    const id = msg && typeof msg === 'object' ? msg.requestId : undefined;
    const entry = typeof id === 'string' ? pending.get(id) : undefined;
    if (!entry) return;
    pending.delete(id);
    entry.cleanup();
    const r = msg.result;
    if (entry.settle) {
      entry.settle(r);
      return;
    }
    if (r.kind === M.ResultKind.FALLBACK) {
      entry.fallback();
    } else if (r.kind === M.ResultKind.ERROR) {
      const { name, message } = r.error;
      entry.reject(name === 'TypeError' ? new TypeErrorCtor(message) : new DOMExceptionCtor(message, name));
    } else {
      try {
        entry.resolve(entry.type === M.MessageType.CREATE
          ? buildRegistration(r.credential) : buildAssertion(r.credential));
      } catch (e) {
        entry.reject(new DOMExceptionCtor(`SoftKey: ${e && e.message}`, 'UnknownError'));
      }
    }
  }

  // ------------------------------------------------------------ credential objects

  function define(target, props) {
    for (const k of Object.keys(props)) {
      defineProperty(target, k, { value: props[k], enumerable: false, writable: false, configurable: true });
    }
    return target;
  }
  const ab = (s) => J.b64urlToArrayBuffer(s);
  const copyAb = (buf) => buf.slice(0);
  const deepCopy = (j) => JSON.parse(JSON.stringify(j));

  function finishCredential(json, response) {
    const cred = objectCreate(PKC_PROTO);
    const rawId = ab(json.rawId);
    return define(cred, {
      id: json.id,
      rawId,
      type: 'public-key',
      authenticatorAttachment: json.authenticatorAttachment === undefined ? null : json.authenticatorAttachment,
      response,
      getClientExtensionResults: function getClientExtensionResults() {
        return J.extensionResultsFromJSON(json.clientExtensionResults);
      },
      toJSON: function toJSON() { return deepCopy(json); },
    });
  }

  function buildRegistration(json) {
    const r = json.response;
    const clientDataJSON = ab(r.clientDataJSON);
    const attestationObject = ab(r.attestationObject);
    const authenticatorData = ab(r.authenticatorData);
    const publicKey = r.publicKey === undefined ? null : ab(r.publicKey);
    const transports = r.transports.slice();
    const response = define(objectCreate(ATT_PROTO), {
      clientDataJSON,
      attestationObject,
      getTransports: function getTransports() { return transports.slice(); },
      getAuthenticatorData: function getAuthenticatorData() { return copyAb(authenticatorData); },
      getPublicKey: function getPublicKey() { return publicKey === null ? null : copyAb(publicKey); },
      getPublicKeyAlgorithm: function getPublicKeyAlgorithm() { return r.publicKeyAlgorithm; },
      toJSON: function toJSON() { return deepCopy(r); },
    });
    return finishCredential(json, response);
  }

  function buildAssertion(json) {
    const r = json.response;
    const response = define(objectCreate(ASN_PROTO), {
      clientDataJSON: ab(r.clientDataJSON),
      authenticatorData: ab(r.authenticatorData),
      signature: ab(r.signature),
      userHandle: r.userHandle === undefined || r.userHandle === null ? null : ab(r.userHandle),
      toJSON: function toJSON() { return deepCopy(r); },
    });
    return finishCredential(json, response);
  }

  // ------------------------------------------------------------ wrappers

  const OTHER_TYPES = ['password', 'federated', 'identity', 'otp', 'digital'];

  /** Only plain publicKey ceremonies are ours; everything else goes to the browser. */
  function shouldIntercept(options) {
    if (options === null || typeof options !== 'object') return false;
    let pk;
    try {
      pk = options.publicKey;
      if (pk === undefined || pk === null || typeof pk !== 'object') return false;
      if (options.mediation === 'conditional') return false; // passkey autofill: browser's UI
      for (const t of OTHER_TYPES) if (options[t] !== undefined) return false;
    } catch (_) {
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------ shapes we can read

  const iteratorSymbol = Symbol.iterator;
  const isView = ArrayBuffer.isView;
  const toTag = Object.prototype.toString;
  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
  /** WebIDL sequence<T>: an object with an iterator (a string or number is not one). */
  const isSequence = (v) => isObject(v) && typeof v[iteratorSymbol] === 'function';
  /** WebIDL dictionary: undefined, null, or an object. */
  const isDictionary = (v) => v === undefined || v === null || isObject(v);
  const isBufferSource = (v) => isObject(v) && (isView(v) || apply(toTag, v, []) === '[object ArrayBuffer]');
  const isLong = (v) => typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff;

  function descriptorsReadable(list) {
    if (list === undefined) return true;
    if (!isSequence(list)) return false;
    for (const d of list) {
      if (!isObject(d) || typeof d.type !== 'string' || !isBufferSource(d.id)) return false;
      if (d.transports !== undefined && !isSequence(d.transports)) return false;
    }
    return true;
  }

  /**
   * Whether options have the shape the WebIDL conversion accepts without coercion surprises.
   * Our JSON conversion is lenient (Array.from(7) is []), so an options object the browser
   * would reject with a TypeError (pubKeyCredParams: 7, transports: 'usb') could otherwise
   * reach our consent. Whatever is not plainly readable goes to the browser untouched, which
   * gives the exact error. Getters on the page's objects run here; an exception means no.
   */
  function readable(type, pk) {
    try {
      if (!isObject(pk)) return false;
      if (pk.challenge === undefined || !isBufferSource(pk.challenge)) return false;
      if (pk.timeout !== undefined && typeof pk.timeout !== 'number') return false;
      if (!isDictionary(pk.extensions)) return false;
      if (pk.hints !== undefined && !isSequence(pk.hints)) return false;
      if (type === M.MessageType.GET) {
        if (pk.rpId !== undefined && typeof pk.rpId !== 'string') return false;
        return descriptorsReadable(pk.allowCredentials);
      }
      const { rp, user } = pk;
      if (!isObject(rp) || typeof rp.name !== 'string' || (rp.id !== undefined && typeof rp.id !== 'string')) return false;
      if (!isObject(user) || typeof user.name !== 'string' || typeof user.displayName !== 'string'
        || !isBufferSource(user.id)) return false;
      if (!isSequence(pk.pubKeyCredParams)) return false;
      for (const p of pk.pubKeyCredParams) {
        if (!isObject(p) || typeof p.type !== 'string' || !isLong(p.alg)) return false;
      }
      if (!isDictionary(pk.authenticatorSelection)) return false;
      if (pk.attestationFormats !== undefined && !isSequence(pk.attestationFormats)) return false;
      return descriptorsReadable(pk.excludeCredentials);
    } catch (_) {
      return false;
    }
  }

  function abortReason(signal) {
    const reason = signal.reason;
    return reason === undefined ? new DOMExceptionCtor('signal is aborted without reason', 'AbortError') : reason;
  }

  function intercept(type, original, thisArg, args) {
    const options = args[0];
    if (!shouldIntercept(options)) return apply(original, thisArg, args);
    const signal = options.signal;
    if (signal !== undefined && signal !== null && signal.aborted) {
      // Chrome rejects with the signal's reason (an AbortError DOMException when none was given).
      return PromiseCtor.reject(abortReason(signal));
    }
    // Shapes we cannot read plainly: the browser produces the exact error (or serves it).
    if (!readable(type, options.publicKey)) return apply(original, thisArg, args);
    let jsonOptions;
    try {
      jsonOptions = type === M.MessageType.CREATE
        ? J.creationOptionsToJSON(options.publicKey)
        : J.requestOptionsToJSON(options.publicKey);
    } catch (_) {
      // Malformed options: the browser produces the exact error.
      return apply(original, thisArg, args);
    }
    const requestId = J.randomRequestId();
    return new PromiseCtor((resolve, reject) => {
      let onAbort = null;
      let settled = false;
      const entry = {
        type,
        resolve: (v) => { settled = true; resolve(v); },
        reject: (e) => { settled = true; reject(e); },
        // The browser's own method, with the page's ORIGINAL arguments.
        fallback: () => {
          settled = true;
          try { resolve(apply(original, thisArg, args)); } catch (e) { reject(e); }
        },
        cleanup: () => {
          if (onAbort) apply(removeEventListener, signal, ['abort', onAbort]);
        },
      };
      if (signal !== undefined && signal !== null && typeof signal.addEventListener === 'function') {
        onAbort = () => {
          if (settled || !pending.has(requestId)) return;
          pending.delete(requestId);
          entry.cleanup();
          if (port) apply(portPostMessage, port, [{ type: M.MessageType.ABORT, requestId }]);
          entry.reject(abortReason(signal));
        };
        apply(addEventListener, signal, ['abort', onAbort, { once: true }]);
      }
      pending.set(requestId, entry);
      whenPort().then((p) => {
        if (!pending.has(requestId)) return; // aborted meanwhile
        if (!p) {
          // No bridge (e.g. extension reloaded): behave as if we were not here.
          pending.delete(requestId);
          entry.cleanup();
          entry.fallback();
          return;
        }
        apply(portPostMessage, p, [{ type, requestId, options: jsonOptions }]);
      });
    });
  }

  // Same name and length (0) as the browser's methods; not constructors.
  const wrappedCreate = {
    create() { return intercept(M.MessageType.CREATE, originalCreate, this, arguments); },
  }.create;
  const wrappedGet = {
    get() { return intercept(M.MessageType.GET, originalGet, this, arguments); },
  }.get;

  try {
    defineProperty(proto, 'create', { ...createDesc, value: wrappedCreate });
    defineProperty(proto, 'get', { ...getDesc, value: wrappedGet });
  } catch (_) {
    // Someone made them non-configurable before us: then we do not intercept.
  }

  // ------------------------------------------------------------ legacy U2F API

  /*
   * window.u2f.register / window.u2f.sign: the high-level calls of the FIDO U2F JavaScript API
   * v1.1 (Google's u2f-api.js), for AWS pages of the U2F era. Each call goes to the extension
   * on the same private port as WebAuthn; the callback always runs asynchronously, with the
   * response or `{errorCode, errorMessage}`.
   *
   * A page that loads u2f-api.js after us runs `var u2f = u2f || {}` (which keeps our object)
   * and then assigns `u2f.register = ...`, `u2f.sign = ...`, whose implementations talk to
   * Chrome's removed U2F extension and would never answer. Our `register` and `sign` are
   * therefore accessors whose setter ignores the assignment (a non-writable data property
   * would make that assignment throw in u2f-api.js's strict-mode code); `window.u2f` itself is
   * an accessor of the same kind. The page's other assignments (ErrorCodes, helpers) stick.
   */

  function u2fCall(type, options, callback) {
    if (typeof callback !== 'function') return;
    const requestId = J.randomRequestId();
    let answered = false;
    let timer = null;
    const settle = (data) => {
      if (answered) return;
      answered = true;
      if (timer !== null) clearTimer(timer);
      pending.delete(requestId);
      apply(callback, undefined, [data]);
    };
    const later = (data) => { PromiseCtor.resolve().then(() => settle(data)); };
    if (options === null) {
      later(J.u2fError(M.U2F_ERROR_CODES.BAD_REQUEST, 'The request is malformed.'));
      return;
    }
    // The bridge checks it (a malformed request is answered U2fBadRequest, i.e. BAD_REQUEST).
    const message = { type, requestId, options };
    pending.set(requestId, {
      type,
      settle: (result) => settle(J.u2fCallbackData(result)),
      reject: (e) => settle(J.u2fError(M.U2F_ERROR_CODES.OTHER_ERROR, e && e.message)),
      fallback: () => settle(J.u2fCallbackData(M.fallback())),
      resolve: () => {},
      cleanup: () => {},
    });
    // The page's timeout: answer TIMEOUT and let the extension close its window.
    timer = setTimer(() => {
      timer = null;
      if (port) apply(portPostMessage, port, [{ type: M.MessageType.ABORT, requestId }]);
      settle(J.u2fError(M.U2F_ERROR_CODES.TIMEOUT, 'The request timed out.'));
    }, options.timeoutSeconds * 1000);
    whenPort().then((p) => {
      if (answered) return;
      if (!p) {
        settle(J.u2fError(M.U2F_ERROR_CODES.OTHER_ERROR, 'SoftKey is not available on this page.'));
        return;
      }
      apply(portPostMessage, p, [message]);
    });
  }

  /** Converts the page's arguments; null when they cannot be read (getters that throw, ...). */
  function u2fOptions(convert, args) {
    try {
      return apply(convert, undefined, args);
    } catch (_) {
      return null;
    }
  }

  /**
   * u2f.register(appId, registerRequests, registeredKeys, callback, opt_timeoutSeconds) and
   * u2f.sign(appId, challenge, registeredKeys, callback, opt_timeoutSeconds): the same positions,
   * so one shape serves both (named as the API names them, five parameters).
   */
  function u2fMethod(name, type, convert) {
    return {
      [name](appId, requests, registeredKeys, callback, opt_timeoutSeconds) {
        u2fCall(type, u2fOptions(convert, [appId, requests, registeredKeys, opt_timeoutSeconds]), callback);
      },
    }[name];
  }
  const u2fRegister = u2fMethod('register', M.MessageType.U2F_REGISTER, J.u2fRegisterArgsToJSON);
  const u2fSign = u2fMethod('sign', M.MessageType.U2F_SIGN, J.u2fSignArgsToJSON);

  function ignoreAssignment() { /* keep ours: see above */ }
  const u2fApi = {};
  defineProperty(u2fApi, 'register', { get: () => u2fRegister, set: ignoreAssignment, enumerable: true, configurable: false });
  defineProperty(u2fApi, 'sign', { get: () => u2fSign, set: ignoreAssignment, enumerable: true, configurable: false });
  u2fApi.ErrorCodes = { ...M.U2F_ERROR_CODES };
  try {
    // Only where the site table allows the U2F API (self.origin: an opaque origin is never ours).
    if (!('u2f' in window) && SITES && SITES.originHas(self.origin, 'u2f')) {
      defineProperty(window, 'u2f', { get: () => u2fApi, set: ignoreAssignment, enumerable: false, configurable: true });
    }
  } catch (_) { /* the page has one we cannot replace: leave it */ }
})();
