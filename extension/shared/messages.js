/*
 * SoftKey for AWS — the ONE definition of every message between
 *   page script (MAIN world)  <->  bridge (ISOLATED world)  <->  service worker
 * with runtime validators and the WebAuthn <-> JSON conversions.
 *
 * How it is shared (no build step): this file is written to be valid BOTH as a
 * classic script and as an ES module. It has no import/export syntax and only
 * assigns `globalThis.SoftKeyMessages` (non-enumerable, configurable, frozen).
 *   - ISOLATED world: listed before bridge.js in the same content_scripts entry;
 *     the global lives in the extension's isolated world, invisible to the page.
 *   - MAIN world: the build concatenates this file and content/page.js into
 *     ONE file, dist/content/page-main.js (Chrome injects a given file only once
 *     per frame, even when entries for two worlds both list it, so the MAIN
 *     entry cannot list shared/messages.js again). page.js takes the object and
 *     DELETES the global at once; this runs at document_start, before any page
 *     script, so the page never sees it.
 *   - Service worker (module): `import '../shared/messages.js'` runs it for its
 *     side effect; router.js then reads globalThis.SoftKeyMessages.
 *   - Node tests: `import` it the same way.
 * It must therefore stay strict-mode clean and free of module syntax.
 *
 * Wire protocol
 * -------------
 * Page -> bridge (over a private MessagePort, see page.js/bridge.js):
 *   PageRequest  = CreateRequest | GetRequest | AbortRequest | U2fRegisterRequest | U2fSignRequest
 *   CreateRequest = {type:"webauthn.create", requestId, options: CreationOptionsJSON}
 *   GetRequest    = {type:"webauthn.get",    requestId, options: RequestOptionsJSON}
 *   AbortRequest  = {type:"webauthn.abort",  requestId}        (also ends a U2F request)
 *   U2fRegisterRequest = {type:"u2f.register", requestId, options: U2fRegisterOptionsJSON}
 *   U2fSignRequest     = {type:"u2f.sign",     requestId, options: U2fSignOptionsJSON}
 * Bridge -> service worker (chrome.runtime port named PORT_NAME):
 *   WorkerRequest = PageRequest & {origin, topOrigin: string|null, sameOriginWithAncestors: boolean,
 *                                  visible?: boolean, focused?: boolean}
 *                   (visible/focused: the frame's document.visibilityState and hasFocus() as the
 *                   bridge read them when it sent the request; a hint for silent signing only)
 *                 | {type:"webauthn.keepalive"}
 * Service worker -> bridge -> page:
 *   ResultMessage = {type:"webauthn.result", requestId, result: Result}
 *   Result = {kind:"credential", credential: RegistrationResponseJSON|AuthenticationResponseJSON}
 *          | {kind:"fallback"}                        (use the browser's own WebAuthn)
 *          | {kind:"error", name: ErrorName, message: string}
 * For the legacy U2F requests the credential is a U2fRegisterResponse / U2fSignResponse, an
 * error's name may also be one of U2F_ERROR_NAMES (one per U2F error code), and "fallback"
 * means no key here can answer (there is no browser U2F to fall back to).
 *
 * IAM "Authenticator app" step (content/mfa-capture.js -> service worker, chrome.runtime.sendMessage):
 *   QrCaptureRequest = {type:"mfa.captureQr", image?: QrImage, secret?: string, deviceName: string,
 *                       account?: string, user?: string, arn?: string}
 *   QrImage = {width, height, rgba: Base64URLString}  the QR code's pixels as a canvas holds
 *             them (width*height*4 bytes, each side 21..qrImageSideMax); absent when the image
 *             could not be read (a cross-origin image taints the canvas)
 *   secret  the base32 secret shown as text ("Show secret key"), when there is one; at least
 *           one of image and secret is present, and when both are they must agree
 *   Reply: {entryId, label, codes: [code1, code2]} | {locked: true} | {none: true}
 *        | {error: "duplicate" | "mismatch" | "invalid" | "no-qr" | "bad-request" | "failed",
 *           message?: string}
 */
(function (root) {
  'use strict';

  /** @typedef {string} Base64URLString  unpadded base64url (RFC 4648 §5) */

  /**
   * @typedef {object} PublicKeyCredentialDescriptorJSON
   * @property {string} type  usually "public-key"; other values are ignored by the engine
   * @property {Base64URLString} id
   * @property {string[]} [transports]
   */
  /**
   * @typedef {object} CreationOptionsJSON  PublicKeyCredentialCreationOptionsJSON (WebAuthn L3)
   * @property {{id?: string, name: string}} rp
   * @property {{id: Base64URLString, name: string, displayName: string}} user
   * @property {Base64URLString} challenge
   * @property {{type: string, alg: number}[]} pubKeyCredParams
   * @property {number} [timeout]
   * @property {PublicKeyCredentialDescriptorJSON[]} [excludeCredentials]
   * @property {{authenticatorAttachment?: string, residentKey?: string,
   *            requireResidentKey?: boolean, userVerification?: string}} [authenticatorSelection]
   * @property {string[]} [hints]
   * @property {"none"|"indirect"|"direct"|"enterprise"} [attestation]
   * @property {string[]} [attestationFormats]
   * @property {object} [extensions]  see EXTENSION_INPUTS
   */
  /**
   * @typedef {object} RequestOptionsJSON  PublicKeyCredentialRequestOptionsJSON (WebAuthn L3)
   * @property {Base64URLString} challenge
   * @property {number} [timeout]
   * @property {string} [rpId]
   * @property {PublicKeyCredentialDescriptorJSON[]} [allowCredentials]
   * @property {"required"|"preferred"|"discouraged"} [userVerification]
   * @property {string[]} [hints]
   * @property {object} [extensions]
   */
  /**
   * @typedef {object} RegistrationResponseJSON
   * @property {Base64URLString} id
   * @property {Base64URLString} rawId  equal to id
   * @property {"public-key"} type
   * @property {"platform"|"cross-platform"|null} [authenticatorAttachment]
   * @property {{clientDataJSON: Base64URLString, authenticatorData: Base64URLString,
   *   transports: string[], publicKey?: Base64URLString, publicKeyAlgorithm: number,
   *   attestationObject: Base64URLString}} response
   * @property {object} clientExtensionResults
   */
  /**
   * Legacy FIDO U2F JavaScript API v1.1 (u2f.register / u2f.sign). Key handles and challenges
   * are websafe base64 text; challenges are echoed verbatim in the client data.
   * @typedef {{version: string, keyHandle: string, appId?: string}} U2fRegisteredKeyJSON
   * @typedef {object} U2fRegisterOptionsJSON
   * @property {string} [appId]  absent: the caller's origin
   * @property {{version: string, challenge: string}[]} registerRequests
   * @property {U2fRegisteredKeyJSON[]} registeredKeys
   * @property {number} [timeoutSeconds]
   * @typedef {object} U2fSignOptionsJSON
   * @property {string} [appId]
   * @property {string} challenge
   * @property {U2fRegisteredKeyJSON[]} registeredKeys
   * @property {number} [timeoutSeconds]
   * @typedef {{version: "U2F_V2", registrationData: Base64URLString, clientData: Base64URLString}} U2fRegisterResponse
   * @typedef {{keyHandle: string, signatureData: Base64URLString, clientData: Base64URLString}} U2fSignResponse
   */
  /**
   * @typedef {object} AuthenticationResponseJSON
   * @property {Base64URLString} id
   * @property {Base64URLString} rawId
   * @property {"public-key"} type
   * @property {"platform"|"cross-platform"|null} [authenticatorAttachment]
   * @property {{clientDataJSON: Base64URLString, authenticatorData: Base64URLString,
   *   signature: Base64URLString, userHandle?: Base64URLString|null}} response
   * @property {object} clientExtensionResults
   */

  const VERSION = 1;
  /** Marker of the one-time handshake message that hands page.js its MessagePort. */
  const CHANNEL = 'softkey-aws.webauthn.v1';
  /** chrome.runtime.connect() port name between bridge and service worker. */
  const PORT_NAME = 'softkey-aws.webauthn';

  const MessageType = Object.freeze({
    CREATE: 'webauthn.create',
    GET: 'webauthn.get',
    ABORT: 'webauthn.abort',
    KEEPALIVE: 'webauthn.keepalive',
    RESULT: 'webauthn.result',
    U2F_REGISTER: 'u2f.register',
    U2F_SIGN: 'u2f.sign',
    MFA_CAPTURE_QR: 'mfa.captureQr',
  });
  const isU2fType = (t) => t === MessageType.U2F_REGISTER || t === MessageType.U2F_SIGN;
  const ResultKind = Object.freeze({ CREDENTIAL: 'credential', FALLBACK: 'fallback', ERROR: 'error' });
  /** DOMException names a WebAuthn call may reject with ("TypeError" = a TypeError). */
  const ERROR_NAMES = Object.freeze([
    'NotAllowedError', 'AbortError', 'SecurityError', 'InvalidStateError', 'NotSupportedError',
    'ConstraintError', 'UnknownError', 'NotReadableError', 'EncodingError', 'OperationError',
    'TimeoutError', 'TypeError',
  ]);

  /** The U2F JavaScript API's ErrorCode values (u2f-api.js's u2f.ErrorCodes). */
  const U2F_ERROR_CODES = Object.freeze({
    OK: 0, OTHER_ERROR: 1, BAD_REQUEST: 2, CONFIGURATION_UNSUPPORTED: 3, DEVICE_INELIGIBLE: 4, TIMEOUT: 5,
  });
  /** Error names a U2F request may fail with (from the core, or the worker's timer) -> code. */
  const U2F_ERROR_NAMES = Object.freeze({
    U2fOtherError: 1, U2fBadRequest: 2, U2fConfigurationUnsupported: 3, U2fDeviceIneligible: 4, U2fTimeout: 5,
  });
  const U2F_V2 = 'U2F_V2';

  const ENUMS = Object.freeze({
    attestation: ['none', 'indirect', 'direct', 'enterprise'],
    userVerification: ['required', 'preferred', 'discouraged'],
    residentKey: ['discouraged', 'preferred', 'required'],
    authenticatorAttachment: ['platform', 'cross-platform'],
    transport: ['usb', 'nfc', 'ble', 'smart-card', 'hybrid', 'internal'],
    hint: ['security-key', 'client-device', 'hybrid'],
    largeBlobSupport: ['required', 'preferred'],
    credProtect: ['userVerificationOptional', 'userVerificationOptionalWithCredentialIDList',
      'userVerificationRequired'],
  });

  const LIMITS = Object.freeze({
    requestIdMin: 16,
    requestIdMax: 64,
    challengeMin: 16,        // bytes; WebAuthn asks for at least 16
    challengeMax: 1024,
    userIdMax: 64,           // bytes (spec maximum)
    credentialIdMax: 1023,   // bytes (CTAP maximum)
    descriptorsMax: 64,      // allow/excludeCredentials entries
    transportsMax: 8,
    pubKeyCredParamsMax: 32,
    stringMax: 1024,         // rp.name, user.name, user.displayName, messages
    domainMax: 253,
    originMax: 300,
    prfMax: 256,             // bytes of one PRF salt input/output
    largeBlobMax: 4096,
    clientDataMax: 8192,
    attestationObjectMax: 16384,
    authenticatorDataMax: 4096,
    authenticatorDataMin: 37,
    signatureMax: 1024,
    publicKeyMax: 2048,
    timeoutMax: 0xffffffff,
    u2fKeyHandleMax: 255,    // bytes: U2F's key handle length is one byte
    u2fChallengeMax: 1024,   // characters
    u2fTimeoutMax: 600,      // seconds, as WebAuthn's clamp
    qrImageSideMin: 21,      // pixels: a version 1 QR code at one pixel a module
    qrImageSideMax: 1024,    // pixels: the content script scales a larger image down
    secretMax: 256,          // characters of a base32 secret as shown
    deviceNameMax: 128,
    awsFieldMax: 128,        // account, user
    arnMax: 512,
  });

  // ---------------------------------------------------------------- base64url

  const B64URL_RE = /^[A-Za-z0-9_-]*$/;
  const B64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const B64_LOOKUP = (() => {
    const t = new Int16Array(128).fill(-1);
    for (let i = 0; i < B64_CHARS.length; i++) t[B64_CHARS.charCodeAt(i)] = i;
    return t;
  })();

  /** @param {Uint8Array} bytes @returns {Base64URLString} */
  function bytesToB64url(bytes) {
    let out = '';
    let i = 0;
    for (; i + 2 < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out += B64_CHARS[n >> 18] + B64_CHARS[(n >> 12) & 63] + B64_CHARS[(n >> 6) & 63] + B64_CHARS[n & 63];
    }
    if (i < bytes.length) {
      const n = (bytes[i] << 16) | ((i + 1 < bytes.length ? bytes[i + 1] : 0) << 8);
      out += B64_CHARS[n >> 18] + B64_CHARS[(n >> 12) & 63];
      if (i + 1 < bytes.length) out += B64_CHARS[(n >> 6) & 63];
    }
    return out;
  }

  /** Strict decoder: rejects padding, bad characters and non-canonical trailing bits. */
  function b64urlToBytes(s) {
    if (typeof s !== 'string' || !B64URL_RE.test(s) || s.length % 4 === 1) {
      throw new TypeError('invalid base64url');
    }
    const out = new Uint8Array(Math.floor((s.length * 3) / 4));
    let o = 0;
    let i = 0;
    for (; i + 3 < s.length; i += 4) {
      const n = (B64_LOOKUP[s.charCodeAt(i)] << 18) | (B64_LOOKUP[s.charCodeAt(i + 1)] << 12)
        | (B64_LOOKUP[s.charCodeAt(i + 2)] << 6) | B64_LOOKUP[s.charCodeAt(i + 3)];
      out[o++] = n >> 16; out[o++] = (n >> 8) & 255; out[o++] = n & 255;
    }
    const rest = s.length - i;
    if (rest >= 2) {
      const a = B64_LOOKUP[s.charCodeAt(i)];
      const b = B64_LOOKUP[s.charCodeAt(i + 1)];
      const c = rest === 3 ? B64_LOOKUP[s.charCodeAt(i + 2)] : 0;
      if (rest === 2 && (b & 15)) throw new TypeError('invalid base64url (trailing bits)');
      if (rest === 3 && (c & 3)) throw new TypeError('invalid base64url (trailing bits)');
      out[o++] = (a << 2) | (b >> 4);
      if (rest === 3) out[o++] = ((b & 15) << 4) | (c >> 2);
    }
    return out;
  }

  /** Decoded byte length of a syntactically valid base64url string, or -1. */
  function b64urlByteLength(s) {
    if (typeof s !== 'string' || !B64URL_RE.test(s) || s.length % 4 === 1) return -1;
    return Math.floor((s.length * 3) / 4);
  }

  const TAG = Object.prototype.toString;
  /** BufferSource (ArrayBuffer or view, any realm) -> fresh Uint8Array copy; else throws TypeError. */
  function bufferSourceToBytes(v) {
    if (v === null || typeof v !== 'object') throw new TypeError('expected a BufferSource');
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
    if (TAG.call(v) === '[object ArrayBuffer]') return new Uint8Array(v).slice();
    throw new TypeError('expected a BufferSource');
  }
  function bufferSourceToB64url(v) { return bytesToB64url(bufferSourceToBytes(v)); }
  /** base64url -> ArrayBuffer (of the current realm). */
  function b64urlToArrayBuffer(s) { return b64urlToBytes(s).buffer; }

  /** A random request id (22 base64url chars = 128 bits). */
  function randomRequestId() {
    const b = new Uint8Array(16);
    root.crypto.getRandomValues(b);
    return bytesToB64url(b);
  }

  // ---------------------------------------------------------------- validation core

  class Invalid extends Error {}
  function fail(path, why) { throw new Invalid(`${path}: ${why}`); }
  const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
    && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

  function obj(v, path, allowed) {
    if (!isPlainObject(v)) fail(path, 'must be a plain object');
    for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(`${path}.${k}`, 'unexpected field');
    return v;
  }
  function str(v, path, { min = 0, max = LIMITS.stringMax, optional = false } = {}) {
    if (v === undefined && optional) return;
    if (typeof v !== 'string') fail(path, 'must be a string');
    if (v.length < min || v.length > max) fail(path, `length must be ${min}..${max}`);
  }
  function bool(v, path, optional = true) {
    if (v === undefined && optional) return;
    if (typeof v !== 'boolean') fail(path, 'must be a boolean');
  }
  function int(v, path, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, optional = false } = {}) {
    if (v === undefined && optional) return;
    if (!Number.isSafeInteger(v) || v < min || v > max) fail(path, `must be an integer ${min}..${max}`);
  }
  function oneOf(v, path, values, optional = true) {
    if (v === undefined && optional) return;
    if (!values.includes(v)) fail(path, `must be one of ${values.join('|')}`);
  }
  function b64(v, path, { min = 0, max, optional = false } = {}) {
    if (v === undefined && optional) return;
    const n = b64urlByteLength(v);
    if (n < 0) fail(path, 'must be base64url');
    if (n < min || n > max) fail(path, `must decode to ${min}..${max} bytes`);
    try { b64urlToBytes(v); } catch (e) { fail(path, e.message); }
  }
  function arr(v, path, max, each, optional = true) {
    if (v === undefined && optional) return;
    if (!Array.isArray(v)) fail(path, 'must be an array');
    if (v.length > max) fail(path, `at most ${max} entries`);
    v.forEach((x, i) => each(x, `${path}[${i}]`));
  }
  const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  function domain(v, path, optional = true) {
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || !DOMAIN_RE.test(v)) fail(path, 'must be a lower-case domain name');
  }
  /** A serialized https origin, e.g. "https://signin.aws.amazon.com" (port allowed). */
  const ORIGIN_RE = /^https:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::[0-9]{1,5})?$/;
  function origin(v, path, { nullable = false } = {}) {
    if (v === null && nullable) return;
    if (typeof v !== 'string' || v.length > LIMITS.originMax || !ORIGIN_RE.test(v)) {
      fail(path, 'must be an https origin');
    }
  }
  function requestId(v, path) {
    if (typeof v !== 'string' || !B64URL_RE.test(v) || v.length < LIMITS.requestIdMin || v.length > LIMITS.requestIdMax) {
      fail(path, `must be ${LIMITS.requestIdMin}..${LIMITS.requestIdMax} base64url characters`);
    }
  }

  function descriptor(v, path) {
    obj(v, path, ['type', 'id', 'transports']);
    str(v.type, `${path}.type`, { min: 1, max: 32 });
    b64(v.id, `${path}.id`, { min: 1, max: LIMITS.credentialIdMax });
    arr(v.transports, `${path}.transports`, LIMITS.transportsMax, (t, p) => oneOf(t, p, ENUMS.transport, false));
  }
  function prfValues(v, path) {
    obj(v, path, ['first', 'second']);
    b64(v.first, `${path}.first`, { max: LIMITS.prfMax });
    b64(v.second, `${path}.second`, { max: LIMITS.prfMax, optional: true });
  }
  /** Extension inputs we carry (others are dropped by page.js, as a client may ignore them). */
  const EXTENSION_INPUTS = Object.freeze({
    appid: (v, p) => str(v, p, { min: 1, max: 2048 }),
    appidExclude: (v, p) => str(v, p, { min: 1, max: 2048 }),
    credProps: (v, p) => bool(v, p, false),
    credentialProtectionPolicy: (v, p) => oneOf(v, p, ENUMS.credProtect, false),
    enforceCredentialProtectionPolicy: (v, p) => bool(v, p, false),
    minPinLength: (v, p) => bool(v, p, false),
    largeBlob: (v, p) => {
      obj(v, p, ['support', 'read', 'write']);
      oneOf(v.support, `${p}.support`, ENUMS.largeBlobSupport);
      bool(v.read, `${p}.read`);
      b64(v.write, `${p}.write`, { max: LIMITS.largeBlobMax, optional: true });
    },
    prf: (v, p) => {
      obj(v, p, ['eval', 'evalByCredential']);
      if (v.eval !== undefined) prfValues(v.eval, `${p}.eval`);
      if (v.evalByCredential !== undefined) {
        if (!isPlainObject(v.evalByCredential)) fail(`${p}.evalByCredential`, 'must be a plain object');
        const keys = Object.keys(v.evalByCredential);
        if (keys.length > LIMITS.descriptorsMax) fail(`${p}.evalByCredential`, 'too many entries');
        for (const k of keys) {
          b64(k, `${p}.evalByCredential key`, { min: 1, max: LIMITS.credentialIdMax });
          prfValues(v.evalByCredential[k], `${p}.evalByCredential[${k}]`);
        }
      }
    },
  });
  const CREATE_EXTENSIONS = ['appidExclude', 'credProps', 'credentialProtectionPolicy',
    'enforceCredentialProtectionPolicy', 'minPinLength', 'largeBlob', 'prf'];
  const GET_EXTENSIONS = ['appid', 'largeBlob', 'prf'];
  function extensions(v, path, allowed) {
    if (v === undefined) return;
    obj(v, path, allowed);
    for (const k of Object.keys(v)) EXTENSION_INPUTS[k](v[k], `${path}.${k}`);
  }

  function checkCreationOptions(o, path = 'options') {
    obj(o, path, ['rp', 'user', 'challenge', 'pubKeyCredParams', 'timeout', 'excludeCredentials',
      'authenticatorSelection', 'hints', 'attestation', 'attestationFormats', 'extensions']);
    obj(o.rp, `${path}.rp`, ['id', 'name']);
    domain(o.rp.id, `${path}.rp.id`);
    str(o.rp.name, `${path}.rp.name`);
    obj(o.user, `${path}.user`, ['id', 'name', 'displayName']);
    b64(o.user.id, `${path}.user.id`, { min: 1, max: LIMITS.userIdMax });
    str(o.user.name, `${path}.user.name`);
    str(o.user.displayName, `${path}.user.displayName`);
    b64(o.challenge, `${path}.challenge`, { min: LIMITS.challengeMin, max: LIMITS.challengeMax });
    arr(o.pubKeyCredParams, `${path}.pubKeyCredParams`, LIMITS.pubKeyCredParamsMax, (p, pp) => {
      obj(p, pp, ['type', 'alg']);
      str(p.type, `${pp}.type`, { min: 1, max: 32 });
      int(p.alg, `${pp}.alg`, { min: -0x80000000, max: 0x7fffffff });
    }, false);
    int(o.timeout, `${path}.timeout`, { min: 0, max: LIMITS.timeoutMax, optional: true });
    arr(o.excludeCredentials, `${path}.excludeCredentials`, LIMITS.descriptorsMax, descriptor);
    if (o.authenticatorSelection !== undefined) {
      const s = obj(o.authenticatorSelection, `${path}.authenticatorSelection`,
        ['authenticatorAttachment', 'residentKey', 'requireResidentKey', 'userVerification']);
      oneOf(s.authenticatorAttachment, `${path}.authenticatorSelection.authenticatorAttachment`, ENUMS.authenticatorAttachment);
      oneOf(s.residentKey, `${path}.authenticatorSelection.residentKey`, ENUMS.residentKey);
      bool(s.requireResidentKey, `${path}.authenticatorSelection.requireResidentKey`);
      oneOf(s.userVerification, `${path}.authenticatorSelection.userVerification`, ENUMS.userVerification);
    }
    arr(o.hints, `${path}.hints`, 3, (h, p) => oneOf(h, p, ENUMS.hint, false));
    oneOf(o.attestation, `${path}.attestation`, ENUMS.attestation);
    arr(o.attestationFormats, `${path}.attestationFormats`, 16, (f, p) => str(f, p, { min: 1, max: 32 }));
    extensions(o.extensions, `${path}.extensions`, CREATE_EXTENSIONS);
  }

  function checkRequestOptions(o, path = 'options') {
    obj(o, path, ['challenge', 'timeout', 'rpId', 'allowCredentials', 'userVerification', 'hints', 'extensions']);
    b64(o.challenge, `${path}.challenge`, { min: LIMITS.challengeMin, max: LIMITS.challengeMax });
    int(o.timeout, `${path}.timeout`, { min: 0, max: LIMITS.timeoutMax, optional: true });
    domain(o.rpId, `${path}.rpId`);
    arr(o.allowCredentials, `${path}.allowCredentials`, LIMITS.descriptorsMax, descriptor);
    oneOf(o.userVerification, `${path}.userVerification`, ENUMS.userVerification);
    arr(o.hints, `${path}.hints`, 3, (h, p) => oneOf(h, p, ENUMS.hint, false));
    extensions(o.extensions, `${path}.extensions`, GET_EXTENSIONS);
  }

  /** Websafe base64 text (padding tolerated, as U2F servers were not consistent about it). */
  const WEBSAFE_RE = /^[A-Za-z0-9_-]+={0,2}$/;
  function websafe(v, path, maxBytes) {
    if (typeof v !== 'string' || !WEBSAFE_RE.test(v)) fail(path, 'must be websafe base64');
    const n = b64urlByteLength(v.replace(/=+$/, ''));
    if (n < 1 || n > maxBytes) fail(path, `must decode to 1..${maxBytes} bytes`);
  }
  function u2fRegisteredKey(v, path) {
    obj(v, path, ['version', 'keyHandle', 'appId']);
    str(v.version, `${path}.version`, { min: 1, max: 32 });
    websafe(v.keyHandle, `${path}.keyHandle`, LIMITS.u2fKeyHandleMax);
    str(v.appId, `${path}.appId`, { min: 1, max: 2048, optional: true });
  }
  function u2fCommon(o, path) {
    str(o.appId, `${path}.appId`, { min: 1, max: 2048, optional: true });
    arr(o.registeredKeys, `${path}.registeredKeys`, LIMITS.descriptorsMax, u2fRegisteredKey, false);
    int(o.timeoutSeconds, `${path}.timeoutSeconds`, { min: 1, max: LIMITS.u2fTimeoutMax, optional: true });
  }
  function u2fChallenge(v, path) {
    str(v, path, { min: 1, max: LIMITS.u2fChallengeMax });
    if (!WEBSAFE_RE.test(v)) fail(path, 'must be websafe base64');
  }
  function checkU2fRegisterOptions(o, path = 'options') {
    obj(o, path, ['appId', 'registerRequests', 'registeredKeys', 'timeoutSeconds']);
    u2fCommon(o, path);
    arr(o.registerRequests, `${path}.registerRequests`, 8, (r, p) => {
      obj(r, p, ['version', 'challenge']);
      str(r.version, `${p}.version`, { min: 1, max: 32 });
      u2fChallenge(r.challenge, `${p}.challenge`);
    }, false);
    if (o.registerRequests.length === 0) fail(`${path}.registerRequests`, 'must not be empty');
  }
  function checkU2fSignOptions(o, path = 'options') {
    obj(o, path, ['appId', 'challenge', 'registeredKeys', 'timeoutSeconds']);
    u2fCommon(o, path);
    u2fChallenge(o.challenge, `${path}.challenge`);
  }
  function checkU2fRegisterResponse(c, path = 'credential') {
    obj(c, path, ['version', 'registrationData', 'clientData']);
    if (c.version !== U2F_V2) fail(`${path}.version`, `must be ${U2F_V2}`);
    b64(c.registrationData, `${path}.registrationData`, { min: 67, max: LIMITS.attestationObjectMax });
    b64(c.clientData, `${path}.clientData`, { min: 2, max: LIMITS.clientDataMax });
  }
  function checkU2fSignResponse(c, path = 'credential') {
    obj(c, path, ['keyHandle', 'signatureData', 'clientData']);
    websafe(c.keyHandle, `${path}.keyHandle`, LIMITS.u2fKeyHandleMax);
    b64(c.signatureData, `${path}.signatureData`, { min: 6, max: 5 + LIMITS.signatureMax });
    b64(c.clientData, `${path}.clientData`, { min: 2, max: LIMITS.clientDataMax });
  }

  function checkExtensionResults(v, path) {
    obj(v, path, ['appid', 'appidExclude', 'credProps', 'largeBlob', 'prf']);
    bool(v.appid, `${path}.appid`);
    bool(v.appidExclude, `${path}.appidExclude`);
    if (v.credProps !== undefined) {
      obj(v.credProps, `${path}.credProps`, ['rk']);
      bool(v.credProps.rk, `${path}.credProps.rk`);
    }
    if (v.largeBlob !== undefined) {
      obj(v.largeBlob, `${path}.largeBlob`, ['supported', 'blob', 'written']);
      bool(v.largeBlob.supported, `${path}.largeBlob.supported`);
      b64(v.largeBlob.blob, `${path}.largeBlob.blob`, { max: LIMITS.largeBlobMax, optional: true });
      bool(v.largeBlob.written, `${path}.largeBlob.written`);
    }
    if (v.prf !== undefined) {
      obj(v.prf, `${path}.prf`, ['enabled', 'results']);
      bool(v.prf.enabled, `${path}.prf.enabled`);
      if (v.prf.results !== undefined) prfValues(v.prf.results, `${path}.prf.results`);
    }
  }

  function checkCredentialCommon(c, path, responseFields) {
    obj(c, path, ['id', 'rawId', 'type', 'authenticatorAttachment', 'response', 'clientExtensionResults']);
    b64(c.id, `${path}.id`, { min: 1, max: LIMITS.credentialIdMax });
    if (c.rawId !== c.id) fail(`${path}.rawId`, 'must equal id');
    if (c.type !== 'public-key') fail(`${path}.type`, 'must be "public-key"');
    if (c.authenticatorAttachment !== null) {
      oneOf(c.authenticatorAttachment, `${path}.authenticatorAttachment`, ENUMS.authenticatorAttachment);
    }
    obj(c.response, `${path}.response`, responseFields);
    b64(c.response.clientDataJSON, `${path}.response.clientDataJSON`, { min: 2, max: LIMITS.clientDataMax });
    b64(c.response.authenticatorData, `${path}.response.authenticatorData`,
      { min: LIMITS.authenticatorDataMin, max: LIMITS.authenticatorDataMax });
    checkExtensionResults(c.clientExtensionResults, `${path}.clientExtensionResults`);
  }
  function checkRegistrationResponse(c, path = 'credential') {
    checkCredentialCommon(c, path, ['clientDataJSON', 'authenticatorData', 'transports', 'publicKey',
      'publicKeyAlgorithm', 'attestationObject']);
    const r = c.response;
    b64(r.attestationObject, `${path}.response.attestationObject`, { min: 1, max: LIMITS.attestationObjectMax });
    arr(r.transports, `${path}.response.transports`, LIMITS.transportsMax, (t, p) => oneOf(t, p, ENUMS.transport, false), false);
    b64(r.publicKey, `${path}.response.publicKey`, { min: 1, max: LIMITS.publicKeyMax, optional: true });
    int(r.publicKeyAlgorithm, `${path}.response.publicKeyAlgorithm`, { min: -0x80000000, max: 0x7fffffff });
  }
  function checkAuthenticationResponse(c, path = 'credential') {
    checkCredentialCommon(c, path, ['clientDataJSON', 'authenticatorData', 'signature', 'userHandle']);
    const r = c.response;
    b64(r.signature, `${path}.response.signature`, { min: 1, max: LIMITS.signatureMax });
    if (r.userHandle !== null) b64(r.userHandle, `${path}.response.userHandle`, { min: 1, max: LIMITS.userIdMax, optional: true });
  }

  function checkPageRequest(m, path = 'message', extraFields = []) {
    if (!isPlainObject(m)) fail(path, 'must be a plain object');
    switch (m.type) {
      case MessageType.CREATE:
        obj(m, path, ['type', 'requestId', 'options', ...extraFields]);
        requestId(m.requestId, `${path}.requestId`);
        checkCreationOptions(m.options, `${path}.options`);
        break;
      case MessageType.GET:
        obj(m, path, ['type', 'requestId', 'options', ...extraFields]);
        requestId(m.requestId, `${path}.requestId`);
        checkRequestOptions(m.options, `${path}.options`);
        break;
      case MessageType.ABORT:
        obj(m, path, ['type', 'requestId', ...extraFields]);
        requestId(m.requestId, `${path}.requestId`);
        break;
      case MessageType.U2F_REGISTER:
        obj(m, path, ['type', 'requestId', 'options', ...extraFields]);
        requestId(m.requestId, `${path}.requestId`);
        checkU2fRegisterOptions(m.options, `${path}.options`);
        break;
      case MessageType.U2F_SIGN:
        obj(m, path, ['type', 'requestId', 'options', ...extraFields]);
        requestId(m.requestId, `${path}.requestId`);
        checkU2fSignOptions(m.options, `${path}.options`);
        break;
      default:
        fail(`${path}.type`, 'unknown message type');
    }
  }
  function checkWorkerRequest(m, path = 'message') {
    if (isPlainObject(m) && m.type === MessageType.KEEPALIVE) {
      obj(m, path, ['type']);
      return;
    }
    checkPageRequest(m, path, ['origin', 'topOrigin', 'sameOriginWithAncestors', 'visible', 'focused']);
    bool(m.visible, `${path}.visible`);
    bool(m.focused, `${path}.focused`);
    origin(m.origin, `${path}.origin`);
    origin(m.topOrigin, `${path}.topOrigin`, { nullable: true });
    bool(m.sameOriginWithAncestors, `${path}.sameOriginWithAncestors`, false);
    if (m.sameOriginWithAncestors !== (m.topOrigin === null)) {
      fail(`${path}.topOrigin`, 'must be null exactly when sameOriginWithAncestors');
    }
  }
  /** @param {string} [forType] the request type this answers, if known */
  function checkResult(r, path = 'result', forType) {
    if (!isPlainObject(r)) fail(path, 'must be a plain object');
    switch (r.kind) {
      case ResultKind.CREDENTIAL:
        obj(r, path, ['kind', 'credential']);
        if (forType === MessageType.U2F_REGISTER) checkU2fRegisterResponse(r.credential, `${path}.credential`);
        else if (forType === MessageType.U2F_SIGN) checkU2fSignResponse(r.credential, `${path}.credential`);
        else if (forType === MessageType.CREATE) checkRegistrationResponse(r.credential, `${path}.credential`);
        else if (forType === MessageType.GET) checkAuthenticationResponse(r.credential, `${path}.credential`);
        else if (isPlainObject(r.credential) && isPlainObject(r.credential.response)
          && 'attestationObject' in r.credential.response) checkRegistrationResponse(r.credential, `${path}.credential`);
        else checkAuthenticationResponse(r.credential, `${path}.credential`);
        break;
      case ResultKind.FALLBACK:
        obj(r, path, ['kind']);
        break;
      case ResultKind.ERROR:
        obj(r, path, ['kind', 'name', 'message']);
        oneOf(r.name, `${path}.name`, forType === undefined || isU2fType(forType)
          ? ERROR_NAMES.concat(Object.keys(U2F_ERROR_NAMES)) : ERROR_NAMES, false);
        str(r.message, `${path}.message`);
        break;
      default:
        fail(`${path}.kind`, 'unknown result kind');
    }
  }
  function checkResultMessage(m, path = 'message', forType) {
    obj(m, path, ['type', 'requestId', 'result']);
    if (m.type !== MessageType.RESULT) fail(`${path}.type`, `must be ${MessageType.RESULT}`);
    requestId(m.requestId, `${path}.requestId`);
    checkResult(m.result, `${path}.result`, forType);
  }

  const SECRET_RE = /^[A-Za-z2-7\s]+=*$/;
  function checkQrImage(v, path) {
    obj(v, path, ['width', 'height', 'rgba']);
    int(v.width, `${path}.width`, { min: LIMITS.qrImageSideMin, max: LIMITS.qrImageSideMax });
    int(v.height, `${path}.height`, { min: LIMITS.qrImageSideMin, max: LIMITS.qrImageSideMax });
    const bytes = v.width * v.height * 4;
    b64(v.rgba, `${path}.rgba`, { min: bytes, max: bytes });
  }
  function checkQrCaptureRequest(m, path = 'message') {
    obj(m, path, ['type', 'image', 'secret', 'deviceName', 'account', 'user', 'arn']);
    if (m.type !== MessageType.MFA_CAPTURE_QR) fail(`${path}.type`, `must be ${MessageType.MFA_CAPTURE_QR}`);
    if (m.image === undefined && m.secret === undefined) fail(path, 'needs an image or a secret');
    if (m.image !== undefined) checkQrImage(m.image, `${path}.image`);
    str(m.secret, `${path}.secret`, { min: 16, max: LIMITS.secretMax, optional: true });
    if (m.secret !== undefined && !SECRET_RE.test(m.secret)) fail(`${path}.secret`, 'must be base32');
    str(m.deviceName, `${path}.deviceName`, { min: 1, max: LIMITS.deviceNameMax });
    if (m.deviceName.trim() === '') fail(`${path}.deviceName`, 'must not be blank');
    str(m.account, `${path}.account`, { max: LIMITS.awsFieldMax, optional: true });
    str(m.user, `${path}.user`, { max: LIMITS.awsFieldMax, optional: true });
    str(m.arn, `${path}.arn`, { max: LIMITS.arnMax, optional: true });
  }

  /** Wrap a throwing checker as `(msg, ...) -> {ok: true} | {ok: false, error: string}`. */
  function validator(check) {
    return function (value, ...rest) {
      try {
        check(value, undefined, ...rest);
        return { ok: true, error: null };
      } catch (e) {
        if (e instanceof Invalid) return { ok: false, error: e.message };
        return { ok: false, error: `validator failure: ${e && e.message}` };
      }
    };
  }

  // ---------------------------------------------------------------- WebAuthn <-> JSON (page side)

  const has = (o, k) => o !== null && typeof o === 'object' && o[k] !== undefined;
  function knownOrUndefined(v, values) { return values.includes(v) ? v : undefined; }
  function toUnsignedLong(v) {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) return undefined;
    return Math.min(Math.max(Math.trunc(n), 0), LIMITS.timeoutMax);
  }
  function stripUndefined(o) {
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    return o;
  }
  function descriptorsToJSON(list) {
    if (list === undefined) return undefined;
    return Array.from(list, (d) => stripUndefined({
      type: String(d.type),
      id: bufferSourceToB64url(d.id),
      transports: d.transports === undefined ? undefined
        : Array.from(d.transports, String).filter((t) => ENUMS.transport.includes(t)),
    }));
  }
  function prfValuesToJSON(v) {
    return stripUndefined({
      first: bufferSourceToB64url(v.first),
      second: v.second === undefined ? undefined : bufferSourceToB64url(v.second),
    });
  }
  function extensionsToJSON(ext, allowed) {
    if (ext === undefined || ext === null) return undefined;
    const out = {};
    for (const k of allowed) {
      if (!has(ext, k)) continue;
      const v = ext[k];
      switch (k) {
        case 'appid': case 'appidExclude': out[k] = String(v); break;
        case 'credProps': case 'enforceCredentialProtectionPolicy': case 'minPinLength': out[k] = Boolean(v); break;
        case 'credentialProtectionPolicy': {
          const p = knownOrUndefined(String(v), ENUMS.credProtect);
          if (p) out[k] = p;
          break;
        }
        case 'largeBlob': out[k] = stripUndefined({
          support: knownOrUndefined(v.support, ENUMS.largeBlobSupport),
          read: v.read === undefined ? undefined : Boolean(v.read),
          write: v.write === undefined ? undefined : bufferSourceToB64url(v.write),
        }); break;
        case 'prf': {
          const p = {};
          if (v.eval !== undefined) p.eval = prfValuesToJSON(v.eval);
          if (v.evalByCredential !== undefined) {
            p.evalByCredential = {};
            for (const id of Object.keys(v.evalByCredential)) {
              p.evalByCredential[id] = prfValuesToJSON(v.evalByCredential[id]);
            }
          }
          out[k] = p;
          break;
        }
        default: break;
      }
    }
    return out;
  }

  /**
   * PublicKeyCredentialCreationOptions (page objects, BufferSources) -> CreationOptionsJSON.
   * Throws TypeError where the browser's WebIDL conversion would; callers then let the
   * browser's own create() produce the exact error. Unknown enum values are dropped (as
   * WebAuthn says a client ignores them); only the extensions in CREATE_EXTENSIONS are kept.
   */
  function creationOptionsToJSON(pk) {
    if (pk === null || typeof pk !== 'object') throw new TypeError('publicKey must be an object');
    for (const k of ['rp', 'user', 'challenge', 'pubKeyCredParams']) {
      if (pk[k] === undefined) throw new TypeError(`publicKey.${k} is required`);
    }
    const rp = pk.rp;
    const user = pk.user;
    if (rp.name === undefined || user.name === undefined || user.displayName === undefined || user.id === undefined) {
      throw new TypeError('rp.name, user.id, user.name and user.displayName are required');
    }
    const sel = pk.authenticatorSelection;
    return stripUndefined({
      rp: stripUndefined({ id: rp.id === undefined ? undefined : String(rp.id), name: String(rp.name) }),
      user: { id: bufferSourceToB64url(user.id), name: String(user.name), displayName: String(user.displayName) },
      challenge: bufferSourceToB64url(pk.challenge),
      pubKeyCredParams: Array.from(pk.pubKeyCredParams, (p) => {
        const alg = Number(p.alg);
        if (p.type === undefined || !Number.isInteger(alg)) throw new TypeError('bad pubKeyCredParams entry');
        return { type: String(p.type), alg };
      }),
      timeout: toUnsignedLong(pk.timeout),
      excludeCredentials: descriptorsToJSON(pk.excludeCredentials),
      authenticatorSelection: sel === undefined || sel === null ? undefined : stripUndefined({
        authenticatorAttachment: knownOrUndefined(sel.authenticatorAttachment, ENUMS.authenticatorAttachment),
        residentKey: knownOrUndefined(sel.residentKey, ENUMS.residentKey),
        requireResidentKey: sel.requireResidentKey === undefined ? undefined : Boolean(sel.requireResidentKey),
        userVerification: knownOrUndefined(sel.userVerification, ENUMS.userVerification),
      }),
      hints: pk.hints === undefined ? undefined
        : Array.from(pk.hints, String).filter((h) => ENUMS.hint.includes(h)),
      attestation: knownOrUndefined(pk.attestation, ENUMS.attestation),
      attestationFormats: pk.attestationFormats === undefined ? undefined : Array.from(pk.attestationFormats, String),
      extensions: extensionsToJSON(pk.extensions, CREATE_EXTENSIONS),
    });
  }

  /** PublicKeyCredentialRequestOptions -> RequestOptionsJSON (same rules as above). */
  function requestOptionsToJSON(pk) {
    if (pk === null || typeof pk !== 'object') throw new TypeError('publicKey must be an object');
    if (pk.challenge === undefined) throw new TypeError('publicKey.challenge is required');
    return stripUndefined({
      challenge: bufferSourceToB64url(pk.challenge),
      timeout: toUnsignedLong(pk.timeout),
      rpId: pk.rpId === undefined ? undefined : String(pk.rpId),
      allowCredentials: descriptorsToJSON(pk.allowCredentials),
      userVerification: knownOrUndefined(pk.userVerification, ENUMS.userVerification),
      hints: pk.hints === undefined ? undefined
        : Array.from(pk.hints, String).filter((h) => ENUMS.hint.includes(h)),
      extensions: extensionsToJSON(pk.extensions, GET_EXTENSIONS),
    });
  }

  /** clientExtensionResults JSON -> AuthenticationExtensionsClientOutputs (ArrayBuffers). */
  function extensionResultsFromJSON(j) {
    const out = {};
    if (!j) return out;
    if (j.appid !== undefined) out.appid = j.appid;
    if (j.appidExclude !== undefined) out.appidExclude = j.appidExclude;
    if (j.credProps !== undefined) out.credProps = { ...j.credProps };
    if (j.largeBlob !== undefined) {
      out.largeBlob = { ...j.largeBlob };
      if (j.largeBlob.blob !== undefined) out.largeBlob.blob = b64urlToArrayBuffer(j.largeBlob.blob);
    }
    if (j.prf !== undefined) {
      out.prf = {};
      if (j.prf.enabled !== undefined) out.prf.enabled = j.prf.enabled;
      if (j.prf.results !== undefined) {
        out.prf.results = { first: b64urlToArrayBuffer(j.prf.results.first) };
        if (j.prf.results.second !== undefined) out.prf.results.second = b64urlToArrayBuffer(j.prf.results.second);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- U2F (page side)

  /** Page-supplied registeredKeys -> U2fRegisteredKeyJSON[] (transports are not needed). */
  function u2fKeysToJSON(keys) {
    if (keys === undefined || keys === null) return [];
    return Array.from(keys, (k) => stripUndefined({
      version: String(k.version),
      keyHandle: String(k.keyHandle),
      appId: k.appId === undefined || k.appId === null || k.appId === '' ? undefined : String(k.appId),
    }));
  }
  function u2fAppId(appId) {
    return appId === undefined || appId === null || appId === '' ? undefined : String(appId);
  }
  /** The page's opt_timeoutSeconds, clamped; absent: u2f-api.js's default of 30 s. */
  function u2fTimeoutSeconds(t) {
    const n = Number(t);
    if (t === undefined || !Number.isFinite(n)) return 30;
    return Math.min(Math.max(Math.trunc(n), 1), LIMITS.u2fTimeoutMax);
  }
  /** u2f.register's arguments -> U2fRegisterOptionsJSON; throws TypeError on unusable shapes. */
  function u2fRegisterArgsToJSON(appId, registerRequests, registeredKeys, timeoutSeconds) {
    return stripUndefined({
      appId: u2fAppId(appId),
      registerRequests: Array.from(registerRequests, (r) => ({ version: String(r.version), challenge: String(r.challenge) })),
      registeredKeys: u2fKeysToJSON(registeredKeys),
      timeoutSeconds: u2fTimeoutSeconds(timeoutSeconds),
    });
  }
  /** u2f.sign's arguments -> U2fSignOptionsJSON. */
  function u2fSignArgsToJSON(appId, challenge, registeredKeys, timeoutSeconds) {
    return stripUndefined({
      appId: u2fAppId(appId),
      challenge: String(challenge),
      registeredKeys: u2fKeysToJSON(registeredKeys),
      timeoutSeconds: u2fTimeoutSeconds(timeoutSeconds),
    });
  }
  /** `{errorCode, errorMessage}` as u2f-api.js callbacks receive it. */
  function u2fError(code, message) {
    return { errorCode: code, errorMessage: String(message || 'U2F request failed').slice(0, LIMITS.stringMax) };
  }
  /**
   * A validated Result -> what the page's U2F callback gets: the response on success, else
   * `{errorCode, errorMessage}`. "fallback" means no key here can answer, and there is no
   * browser U2F left to try: DEVICE_INELIGIBLE, as with no matching key plugged in.
   */
  function u2fCallbackData(result) {
    if (result.kind === ResultKind.CREDENTIAL) return { ...result.credential };
    if (result.kind === ResultKind.FALLBACK) {
      return u2fError(U2F_ERROR_CODES.DEVICE_INELIGIBLE, 'No security key here can answer this request.');
    }
    const code = U2F_ERROR_NAMES[result.name] ?? U2F_ERROR_CODES.OTHER_ERROR;
    return u2fError(code, result.message);
  }

  // ---------------------------------------------------------------- hosts

  /**
   * True for an origin whose host is a surface where SoftKey answers WebAuthn. The rule lives
   * in the Rust site table (wasm/core/src/sites.rs); shared/sites.js is generated from it and
   * loaded beside this file in every context (content scripts, MAIN world, worker, tests).
   */
  function isInterceptedOrigin(o) {
    const sites = root.SoftKeySites;
    return !!sites && sites.originHas(o, 'webauthn');
  }

  const api = Object.freeze({
    VERSION, CHANNEL, PORT_NAME, MessageType, ResultKind, ERROR_NAMES, ENUMS, LIMITS,
    U2F_ERROR_CODES, U2F_ERROR_NAMES, U2F_V2, isU2fType,
    CREATE_EXTENSIONS: Object.freeze(CREATE_EXTENSIONS.slice()),
    GET_EXTENSIONS: Object.freeze(GET_EXTENSIONS.slice()),
    // base64url
    bytesToB64url, b64urlToBytes, b64urlToArrayBuffer, bufferSourceToBytes, bufferSourceToB64url,
    randomRequestId,
    // validators: (value) -> {ok, error}
    validatePageRequest: validator(checkPageRequest),
    validateWorkerRequest: validator(checkWorkerRequest),
    validateCreationOptionsJSON: validator(checkCreationOptions),
    validateRequestOptionsJSON: validator(checkRequestOptions),
    validateRegistrationResponseJSON: validator(checkRegistrationResponse),
    validateAuthenticationResponseJSON: validator(checkAuthenticationResponse),
    /** (result, forType?) */
    validateResult: validator(checkResult),
    /** (message, forType?) */
    validateResultMessage: validator(checkResultMessage),
    validateU2fRegisterOptionsJSON: validator(checkU2fRegisterOptions),
    validateU2fSignOptionsJSON: validator(checkU2fSignOptions),
    validateQrCaptureRequest: validator(checkQrCaptureRequest),
    // conversions
    creationOptionsToJSON, requestOptionsToJSON, extensionResultsFromJSON,
    u2fRegisterArgsToJSON, u2fSignArgsToJSON, u2fCallbackData, u2fError,
    // hosts
    isInterceptedOrigin,
    // constructors for replies
    fallback: () => ({ kind: ResultKind.FALLBACK }),
    error: (name, message) => ({ kind: ResultKind.ERROR, name, message: String(message || name).slice(0, LIMITS.stringMax) }),
    credential: (credential) => ({ kind: ResultKind.CREDENTIAL, credential }),
  });

  Object.defineProperty(root, 'SoftKeyMessages', {
    value: api, configurable: true, enumerable: false, writable: false,
  });
})(typeof globalThis !== 'undefined' ? globalThis : self);
