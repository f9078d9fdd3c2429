/*
 * SoftKey for AWS — every message, declared once: its type, the hop it travels, its fields.
 *
 * Hops (where each is checked, once, with shared/schema.js's `validate`):
 *   page      page.js (MAIN world) → bridge.js, on a private MessagePort; checked by the bridge
 *   bridge    bridge.js → worker, on the chrome.runtime port PORT_NAME; the page's request plus
 *             the frame's context (FRAME); checked by background/router.js
 *   content   the TOTP content scripts → worker (chrome.runtime.sendMessage); checked by
 *             background/mfa-handlers.js, after it placed the sender on a surface of the site table
 *   ui        extension pages (popup, setup, unlock, consent, fill, export) → worker; checked by
 *             the worker's UI listener (shared/ui-api.js's validateUiRequest)
 *   offscreen worker → offscreen/clipboard.html; checked there
 *   worker    worker → content scripts (frame state, AWS context): no fields, and a content
 *             script answers only its own extension's worker (sender.id, no tab)
 * Answers travel back on the same channel and are not checked again on the way out, except the
 * WebAuthn/U2F result, which the router checks once before it leaves the worker (`validateResult`):
 * it is the last point our code controls before a page turns it into a credential.
 *
 * Errors, everywhere, are the envelope {name, kind, message} (`envelope`): `name` is what a
 * caller throws (a DOMException name for a page, a U2F error name, the wasm error's name for the
 * UI), `kind` a stable identifier code branches on, `message` words for people. A WebAuthn/U2F
 * result carries it as {kind: "error", error: envelope}; a UI reply as {ok: false, error};
 * a content-script reply as {error}.
 *
 * A classic script and an ES module at once (no import/export syntax): it sets
 * `globalThis.SoftKeyMessages`. The constants need nothing else; the declarations are built on
 * first use from shared/schema.js (loaded before that use), so the MAIN-world script, which never
 * validates, carries no validator. The page-only WebAuthn <-> JSON conversion is
 * content/page-json.js, shipped only in the MAIN-world file (build.sh: page-main.js).
 */
(function (root) {
  'use strict';

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
    exportFormat: ['backup', 'otpauth', 'googleMigration', 'aegisPlain', 'aegisEncrypted', 'bitwarden'],
    exportKeys: ['move', 'copy', 'omit'],
    consentDecision: ['approve', 'fallback', 'cancel'],
  });
  /** Extension inputs we carry (page-json.js drops the others, as a client may ignore them). */
  const CREATE_EXTENSIONS = Object.freeze(['appidExclude', 'credProps', 'credentialProtectionPolicy',
    'enforceCredentialProtectionPolicy', 'minPinLength', 'largeBlob', 'prf']);
  const GET_EXTENSIONS = Object.freeze(['appid', 'largeBlob', 'prf']);

  /** Sizes: what a message may carry, not what is valid (the core decides that). */
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
    secretMin: 16,           // characters of a base32 secret as shown (the core decodes it)
    secretMax: 256,
    deviceNameMax: 128,
    awsFieldMax: 128,        // account, user, directory
    arnMax: 512,
    emailMax: 256,
    entryIdMax: 64,
    passwordMax: 1024,
    otpauthMax: 8192,
    qrTextsMax: 64,          // QR codes read from one picture
    importFileMax: Math.ceil((4 * 1024 * 1024 * 4) / 3) + 4, // base64url of the core's 4 MiB
  });

  // ---------------------------------------------------------------- the error envelope

  /** A stable kind for a name that came without one: "NotAllowedError" -> "notAllowed". */
  function kindOf(name) {
    const bare = String(name).replace(/^U2f/, '').replace(/Error$/, '') || 'unknown';
    return bare[0].toLowerCase() + bare.slice(1);
  }
  /** {name, kind, message}: the one error envelope. */
  function envelope(name, message, kind) {
    return {
      name: String(name),
      kind: typeof kind === 'string' && kind ? kind : kindOf(name),
      message: String(message || name).slice(0, LIMITS.stringMax),
    };
  }
  /** Whatever was thrown (a wasm error carries name and kind already) -> the envelope. */
  function envelopeOf(e, fallbackName = 'Error') {
    const name = e && typeof e.name === 'string' && e.name ? e.name : fallbackName;
    const message = e && typeof e.message === 'string' ? e.message : typeof e === 'string' ? e : 'The operation failed.';
    return envelope(name, message, e && e.kind);
  }

  // ---------------------------------------------------------------- declarations

  let declared = null;
  /** Built on first use: the MAIN world never validates and never loads shared/schema.js. */
  function declarations() {
    if (declared) return declared;
    const S = root.SoftKeySchema;
    if (!S) throw new Error('shared/schema.js must be loaded before a message is validated');
    const { optional: opt, nullable, string, bool, int, number, oneOf, literal, b64url, array, object, record, union, where } = S;

    const str = (max = LIMITS.stringMax, min = 0) => string({ min, max });
    const requestId = string({ min: LIMITS.requestIdMin, max: LIMITS.requestIdMax, pattern: /^[A-Za-z0-9_-]*$/, why: 'must be base64url' });
    const long = int({ min: -0x80000000, max: 0x7fffffff });
    const timeout = opt(int({ min: 0, max: LIMITS.timeoutMax }));
    // RP IDs and origins are strings here: the core checks an RP ID against the caller's origin
    // (origin.rs, with the public suffix list), and the router compares the claimed origin with
    // the browser's own.
    const rpId = opt(str(LIMITS.domainMax, 1));
    const origin = str(LIMITS.originMax, 1);

    // WebAuthn (JSON forms of WebAuthn Level 3)
    const descriptor = object({
      type: str(32, 1),
      id: b64url({ min: 1, max: LIMITS.credentialIdMax }),
      transports: opt(array(oneOf(ENUMS.transport), { max: LIMITS.transportsMax })),
    });
    const descriptors = opt(array(descriptor, { max: LIMITS.descriptorsMax }));
    const hints = opt(array(oneOf(ENUMS.hint), { max: 3 }));
    const prfValues = object({ first: b64url({ max: LIMITS.prfMax }), second: opt(b64url({ max: LIMITS.prfMax })) });
    const appid = str(2048, 1);
    const EXTENSION_INPUTS = {
      appid, appidExclude: appid,
      credProps: bool(),
      credentialProtectionPolicy: oneOf(ENUMS.credProtect),
      enforceCredentialProtectionPolicy: bool(),
      minPinLength: bool(),
      largeBlob: object({
        support: opt(oneOf(ENUMS.largeBlobSupport)), read: opt(bool()),
        write: opt(b64url({ max: LIMITS.largeBlobMax })),
      }),
      prf: object({
        eval: opt(prfValues),
        evalByCredential: opt(record(b64url({ min: 1, max: LIMITS.credentialIdMax }), prfValues, { max: LIMITS.descriptorsMax })),
      }),
    };
    const extensions = (names) => opt(object(Object.fromEntries(names.map((n) => [n, opt(EXTENSION_INPUTS[n])]))));
    const creationOptions = object({
      rp: object({ id: rpId, name: str() }),
      user: object({ id: b64url({ min: 1, max: LIMITS.userIdMax }), name: str(), displayName: str() }),
      challenge: b64url({ min: LIMITS.challengeMin, max: LIMITS.challengeMax }),
      pubKeyCredParams: array(object({ type: str(32, 1), alg: long }), { max: LIMITS.pubKeyCredParamsMax }),
      timeout,
      excludeCredentials: descriptors,
      authenticatorSelection: opt(object({
        authenticatorAttachment: opt(oneOf(ENUMS.authenticatorAttachment)),
        residentKey: opt(oneOf(ENUMS.residentKey)),
        requireResidentKey: opt(bool()),
        userVerification: opt(oneOf(ENUMS.userVerification)),
      })),
      hints,
      attestation: opt(oneOf(ENUMS.attestation)),
      attestationFormats: opt(array(str(32, 1), { max: 16 })),
      extensions: extensions(CREATE_EXTENSIONS),
    });
    const requestOptions = object({
      challenge: b64url({ min: LIMITS.challengeMin, max: LIMITS.challengeMax }),
      timeout,
      rpId,
      allowCredentials: descriptors,
      userVerification: opt(oneOf(ENUMS.userVerification)),
      hints,
      extensions: extensions(GET_EXTENSIONS),
    });

    // Legacy U2F: websafe base64 text, padding tolerated (U2F servers were not consistent).
    const websafe = (maxBytes) => where(string({ max: 4 * maxBytes, pattern: /^[A-Za-z0-9_-]+={0,2}$/, why: 'must be websafe base64' }),
      (v) => {
        const n = root.SoftKeyBase64url.byteLength(v.replace(/=+$/, ''));
        return n < 1 || n > maxBytes ? `must decode to 1..${maxBytes} bytes` : null;
      });
    const u2fChallenge = string({ min: 1, max: LIMITS.u2fChallengeMax, pattern: /^[A-Za-z0-9_-]+={0,2}$/, why: 'must be websafe base64' });
    const u2fKey = object({ version: str(32, 1), keyHandle: websafe(LIMITS.u2fKeyHandleMax), appId: opt(appid) });
    const u2fCommon = {
      appId: opt(appid),
      registeredKeys: array(u2fKey, { max: LIMITS.descriptorsMax }),
      timeoutSeconds: opt(int({ min: 1, max: LIMITS.u2fTimeoutMax })),
    };
    const u2fRegisterOptions = object({
      ...u2fCommon,
      registerRequests: array(object({ version: str(32, 1), challenge: u2fChallenge }), { min: 1, max: 8 }),
    });
    const u2fSignOptions = object({ ...u2fCommon, challenge: u2fChallenge });

    // Answers (credentials), checked once by the router before they leave the worker.
    const clientData = b64url({ min: 2, max: LIMITS.clientDataMax });
    const authenticatorData = b64url({ min: LIMITS.authenticatorDataMin, max: LIMITS.authenticatorDataMax });
    const credentialId = b64url({ min: 1, max: LIMITS.credentialIdMax });
    const extensionResults = object({
      appid: opt(bool()), appidExclude: opt(bool()),
      credProps: opt(object({ rk: opt(bool()) })),
      largeBlob: opt(object({ supported: opt(bool()), blob: opt(b64url({ max: LIMITS.largeBlobMax })), written: opt(bool()) })),
      prf: opt(object({ enabled: opt(bool()), results: opt(prfValues) })),
    });
    const credential = (response) => where(object({
      id: credentialId, rawId: credentialId, type: literal('public-key'),
      authenticatorAttachment: nullable(oneOf(ENUMS.authenticatorAttachment)),
      response, clientExtensionResults: extensionResults,
    }), (c) => (c.rawId !== c.id ? 'rawId must equal id' : null));
    const registrationResponse = credential(object({
      clientDataJSON: clientData, authenticatorData,
      transports: array(oneOf(ENUMS.transport), { max: LIMITS.transportsMax }),
      publicKey: opt(b64url({ min: 1, max: LIMITS.publicKeyMax })),
      publicKeyAlgorithm: long,
      attestationObject: b64url({ min: 1, max: LIMITS.attestationObjectMax }),
    }));
    const authenticationResponse = credential(object({
      clientDataJSON: clientData, authenticatorData,
      signature: b64url({ min: 1, max: LIMITS.signatureMax }),
      userHandle: opt(nullable(b64url({ min: 1, max: LIMITS.userIdMax }))),
    }));
    const u2fRegisterResponse = object({
      version: literal(U2F_V2),
      registrationData: b64url({ min: 67, max: LIMITS.attestationObjectMax }),
      clientData,
    });
    const u2fSignResponse = object({
      keyHandle: websafe(LIMITS.u2fKeyHandleMax),
      signatureData: b64url({ min: 6, max: 5 + LIMITS.signatureMax }),
      clientData,
    });

    // TOTP content scripts
    // What a page showed, if anything (null or absent: nothing).
    const shown = (max) => opt(nullable(str(max)));
    const aws = { account: shown(LIMITS.awsFieldMax), user: shown(LIMITS.awsFieldMax), arn: shown(LIMITS.arnMax) };
    const signIn = {
      account: shown(LIMITS.awsFieldMax), user: shown(LIMITS.awsFieldMax), email: shown(LIMITS.emailMax),
      awsRootFlow: opt(bool()),
    };
    const entryId = str(LIMITS.entryIdMax, 1);
    const secret = str(LIMITS.secretMax, LIMITS.secretMin);
    const deviceName = string({ min: 1, max: LIMITS.deviceNameMax, blank: false });
    const side = int({ min: LIMITS.qrImageSideMin, max: LIMITS.qrImageSideMax });
    const qrImage = (v, path) => {
      object({ width: side, height: side, rgba: (x) => x })(v, path);
      const bytes = v.width * v.height * 4;
      b64url({ min: bytes, max: bytes })(v.rgba, `${path}.rgba`);
    };

    // Extension pages
    const password = str(LIMITS.passwordMax, 1);
    const label = opt(nullable(str()));
    const awsContext = opt(nullable(object({ ...aws, directory: shown(LIMITS.awsFieldMax) })));
    const plainObject = record(str(), () => {}, { max: 64 });
    const index = int({ min: 0, max: Number.MAX_SAFE_INTEGER });
    const code = string({ min: 4, max: 10, pattern: /^[0-9]+$/, why: 'must be digits' });

    const page = (options) => ({ hop: 'page', fields: { requestId, options } });
    const content = (fields, rule) => ({ hop: 'content', fields, rule });
    const ui = (fields = {}) => ({ hop: 'ui', fields });
    const messages = {
      // page -> bridge -> worker (the bridge adds FRAME)
      [MessageType.CREATE]: { ...page(creationOptions), answer: registrationResponse },
      [MessageType.GET]: { ...page(requestOptions), answer: authenticationResponse },
      [MessageType.ABORT]: { hop: 'page', fields: { requestId } },
      [MessageType.U2F_REGISTER]: { ...page(u2fRegisterOptions), answer: u2fRegisterResponse },
      [MessageType.U2F_SIGN]: { ...page(u2fSignOptions), answer: u2fSignResponse },
      // bridge -> worker, while a request is in flight (a worker with an open port stays up)
      [MessageType.KEEPALIVE]: { hop: 'bridge', fields: {} },

      // TOTP content scripts -> worker. Answers: {code, entryId, label, autoSubmit} | {choices} |
      // {wait: ms} | {noFlow} | {locked} | {none} | {entryId, label, codes | code | wait} (captures)
      // | {confirmed} | {unconfirmed} | {removed} | {ok} | {error: envelope}
      'mfa.flow': content({}),                                  // the user's own step in this tab
      'mfa.code': content(signIn),                              // the code for this prompt
      'mfa.remember': content({ ...signIn, entryId }),          // the user's pick among choices
      'mfa.capture': content({ secret, deviceName, ...aws }),   // the IAM secret key as text
      // The IAM step's QR code pixels and/or its secret key text (both must then agree).
      [MessageType.MFA_CAPTURE_QR]: content({ image: opt(qrImage), secret: opt(secret), deviceName, ...aws },
        (m) => (m.image === undefined && m.secret === undefined ? 'needs an image or a secret' : null)),
      // Amazon.com's setup key. The e-mail must look like one: the core stores it as given.
      'mfa.amazonCapture': content({
        secret,
        email: opt(str(LIMITS.emailMax)), // an e-mail address: the core checks it
        signInName: opt(str(LIMITS.emailMax)), // typed at sign-in: the core uses it if an e-mail
      }),
      'mfa.captureCodes': content({ entryId }),                 // a capture's codes again, after a wait
      'mfa.captureResult': content({ entryId, accepted: bool() }), // the page showed the outcome
      'mfa.captureRemove': content({ entryId }),                // an unconfirmed capture the site refused

      // extension pages -> worker. Answers {ok: true, value} | {ok: false, error: envelope}; value:
      'softkey:ping': ui(),                                     // wakes the worker, loads the vault
      'vault.status': ui(),                                     // {state: none|locked|unlocked, settings?, notice?}
      'vault.dismissNotice': ui(),                              // null: the user has read the notice
      'vault.create': ui({ password }),                         // {state}
      'vault.unlock': ui({ password }),                         // {state}; WrongPassword
      'vault.lock': ui(),                                       // {state: 'locked'}
      'vault.changePassword': ui({ oldPassword: password, newPassword: password }), // null
      'keys.list': ui(),                                        // SecurityKeySummary[]
      'keys.update': ui({ id: str(2048, 1), label, aws: awsContext, askBeforeSignIn: opt(bool()) }), // null
      'keys.delete': ui({ id: str(2048, 1) }),                  // null
      'totp.list': ui(),                                        // TotpCode[]
      'totp.add': ui({ text: str(LIMITS.otpauthMax, 1), label, aws: awsContext }), // TotpCode (text: URI or secret)
      'totp.update': ui({ id: entryId, label, aws: awsContext }), // null
      'totp.delete': ui({ id: entryId }),                       // null
      'totp.reveal': ui({ id: entryId, password }),             // the otpauth:// URI (password asked again)
      // The texts of QR codes read in an extension page: which are an authenticator's (the core
      // decides): {uris, transfers}.
      'qr.authenticatorTexts': ui({ texts: array(str(LIMITS.otpauthMax), { max: LIMITS.qrTextsMax }) }),
      'settings.get': ui(),                                     // Settings
      'settings.set': ui({ settings: plainObject }),            // null (the core checks the settings)
      // The "Fill MFA code" window: types the entry's code into the focused field of that frame,
      // if the frame is still on `origin` (compared there with the frame's own origin).
      'mfa.fillTab': ui({ tabId: index, frameId: index, origin, entryId }), // null
      // The popup copied `code`: {clearAt, seconds} | null (the clearClipboard setting is off).
      'clipboard.copied': ui({ code, copiedAt: number({ min: 1 }) }),
      'consent.get': ui({ requestId: str(256, 1) }),            // the pending prompt's details
      'consent.answer': ui({ requestId: str(256, 1), decision: oneOf(ENUMS.consentDecision), label }), // null
      // Export and import (ui/export.html; docs/key-transfer.md). Files travel as base64url.
      'transfer.export': ui({                                   // {files: [{name, mime, data}]}
        password, format: oneOf(ENUMS.exportFormat), keys: oneOf(ENUMS.exportKeys), filePassword: opt(password),
      }),
      'transfer.preview': ui({ data: str(LIMITS.importFileMax, 1), filePassword: opt(password) }), // {format, preview}
      'transfer.import': ui({ data: str(LIMITS.importFileMax, 1), filePassword: opt(password) }),  // {format, preview}

      // worker -> offscreen document: empty the clipboard if it still holds `code`
      'offscreen.clearClipboard': { hop: 'offscreen', fields: { code } },
      // worker -> content scripts (answered only to the worker itself)
      'softkey.frameState': { hop: 'worker', fields: {} },      // {visible, focused}
      'softkey.awsContext': { hop: 'worker', fields: {} },      // {account, user, arn}
    };

    /** What the bridge adds to a page request: where the frame sits (the router checks it
     * against the browser's sender) and whether the user can see it (a hint for silent signing). */
    const FRAME = {
      origin,
      topOrigin: nullable(origin),
      sameOriginWithAncestors: bool(),
      visible: opt(bool()),
      focused: opt(bool()),
    };
    const frameRule = (m) => (m.sameOriginWithAncestors !== (m.topOrigin === null)
      ? 'topOrigin must be null exactly when sameOriginWithAncestors' : null);

    // The page's requests travel on whole (their options reach the core), so they may carry only
    // what is declared. The worker's TOTP and UI handlers read declared fields one by one: an
    // extra field there reaches nothing and is ignored (as a page's claimed `autoSubmit` is).
    const OPEN_HOPS = ['content', 'ui'];
    const schemas = {};
    for (const [type, d] of Object.entries(messages)) {
      const own = object({ type: literal(type), ...d.fields }, { open: OPEN_HOPS.includes(d.hop) });
      const hop = {};
      hop[d.hop] = d.rule ? where(own, d.rule) : own;
      if (d.hop === 'page') hop.bridge = where(object({ type: literal(type), ...d.fields, ...FRAME }), frameRule);
      schemas[type] = hop;
    }
    // The result the worker sends for each request type: its declared answer, the browser's
    // fallback, or the error envelope with a name the page can throw (U2F names only for U2F).
    const error = object({ name: str(64, 1), kind: str(64, 1), message: str() });
    const results = {};
    for (const [type, d] of Object.entries(messages)) {
      if (!d.answer) continue;
      const names = isU2fType(type) ? ERROR_NAMES.concat(Object.keys(U2F_ERROR_NAMES)) : ERROR_NAMES;
      results[type] = union('kind', {
        [ResultKind.CREDENTIAL]: object({ kind: literal(ResultKind.CREDENTIAL), credential: d.answer }),
        [ResultKind.FALLBACK]: object({ kind: literal(ResultKind.FALLBACK) }),
        [ResultKind.ERROR]: where(object({ kind: literal(ResultKind.ERROR), error }),
          (r) => (names.includes(r.error.name) ? null : `error.name must be one of ${names.join('|')}`)),
      });
    }
    declared = { messages, schemas, results, requestId };
    return declared;
  }

  /** Checks `message` as it arrives on `hop`: {ok, error}. One call per hop, at its trust boundary. */
  function validate(hop, message) {
    const S = root.SoftKeySchema;
    const d = declarations();
    const type = S.isPlainObject(message) ? message.type : undefined;
    const schema = typeof type === 'string' && Object.hasOwn(d.schemas, type) ? d.schemas[type][hop] : undefined;
    if (!S.isPlainObject(message)) return { ok: false, error: 'message: must be a plain object' };
    if (!schema) return { ok: false, error: `message.type: no ${hop} message ${JSON.stringify(String(type))}` };
    return S.validate(schema, message);
  }

  /**
   * Whether a refused message can still be answered: a request type (WebAuthn or U2F) with a
   * well-formed requestId, so the page's promise or callback settles instead of hanging.
   */
  function answerable(message) {
    const S = root.SoftKeySchema;
    if (!S.isPlainObject(message)) return false;
    const t = message.type;
    if (t !== MessageType.CREATE && t !== MessageType.GET && !isU2fType(t)) return false;
    return S.validate(declarations().requestId, message.requestId).ok;
  }

  /** The types declared for `hop`. */
  function typesOf(hop) {
    return Object.keys(declarations().messages).filter((t) => Object.hasOwn(declarations().schemas[t], hop));
  }

  /** Checks the result the worker sends for a request of type `forType` (once, in the router). */
  function validateResult(result, forType) {
    const schema = declarations().results[forType];
    if (!schema) return { ok: false, error: `result: no answer declared for ${forType}` };
    return root.SoftKeySchema.validate(schema, result, 'result');
  }

  const api = Object.freeze({
    VERSION, CHANNEL, PORT_NAME, MessageType, ResultKind, ERROR_NAMES, ENUMS, LIMITS,
    U2F_ERROR_CODES, U2F_ERROR_NAMES, U2F_V2, isU2fType, CREATE_EXTENSIONS, GET_EXTENSIONS,
    validate, validateResult, answerable, typesOf,
    envelope, envelopeOf,
    // results
    fallback: () => ({ kind: ResultKind.FALLBACK }),
    error: (name, message, kind) => ({ kind: ResultKind.ERROR, error: envelope(name, message, kind) }),
    credential: (credential) => ({ kind: ResultKind.CREDENTIAL, credential }),
  });

  Object.defineProperty(root, 'SoftKeyMessages', {
    value: api, configurable: true, enumerable: false, writable: false,
  });
})(typeof globalThis !== 'undefined' ? globalThis : self);
