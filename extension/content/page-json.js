/*
 * The page's side of WebAuthn and the legacy U2F API: page objects (BufferSources, WebIDL
 * dictionaries, u2f.register/sign arguments) -> the JSON messages of shared/messages.js, and
 * answers back into what the page receives. Page-only: build.sh ships it inside the MAIN-world
 * file (content/page-main.js = sites.js + base64url.js + messages.js + this + page.js), never
 * in an isolated content script or the worker. page.js takes `globalThis.SoftKeyPageJson` and
 * deletes it before any page script runs.
 */
(function (root) {
  'use strict';

  const M = root.SoftKeyMessages;
  const B = root.SoftKeyBase64url;
  const { ENUMS, LIMITS, ResultKind, U2F_ERROR_CODES, U2F_ERROR_NAMES } = M;

  const TAG = Object.prototype.toString;
  /** BufferSource (ArrayBuffer or view, any realm) -> fresh Uint8Array copy; else throws TypeError. */
  function bufferSourceToBytes(v) {
    if (v === null || typeof v !== 'object') throw new TypeError('expected a BufferSource');
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
    if (TAG.call(v) === '[object ArrayBuffer]') return new Uint8Array(v).slice();
    throw new TypeError('expected a BufferSource');
  }
  const bufferSourceToB64url = (v) => B.bytesToB64url(bufferSourceToBytes(v));
  /** base64url -> ArrayBuffer (of the current realm). */
  const b64urlToArrayBuffer = (s) => B.b64urlToBytes(s).buffer;

  /** A random request id (22 base64url chars = 128 bits). */
  function randomRequestId() {
    const b = new Uint8Array(16);
    root.crypto.getRandomValues(b);
    return B.bytesToB64url(b);
  }

  const has = (o, k) => o !== null && typeof o === 'object' && o[k] !== undefined;
  const knownOrUndefined = (v, values) => (values.includes(v) ? v : undefined);
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
      extensions: extensionsToJSON(pk.extensions, M.CREATE_EXTENSIONS),
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
      extensions: extensionsToJSON(pk.extensions, M.GET_EXTENSIONS),
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

  // ---------------------------------------------------------------- legacy U2F

  /** Page-supplied registeredKeys -> U2fRegisteredKeyJSON[] (transports are not needed). */
  function u2fKeysToJSON(keys) {
    if (keys === undefined || keys === null) return [];
    return Array.from(keys, (k) => stripUndefined({
      version: String(k.version),
      keyHandle: String(k.keyHandle),
      appId: k.appId === undefined || k.appId === null || k.appId === '' ? undefined : String(k.appId),
    }));
  }
  const u2fAppId = (appId) => (appId === undefined || appId === null || appId === '' ? undefined : String(appId));
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
   * A Result -> what the page's U2F callback gets: the response on success, else
   * `{errorCode, errorMessage}`. "fallback" means no key here can answer, and there is no
   * browser U2F left to try: DEVICE_INELIGIBLE, as with no matching key plugged in.
   */
  function u2fCallbackData(result) {
    if (result.kind === ResultKind.CREDENTIAL) return { ...result.credential };
    if (result.kind === ResultKind.FALLBACK) {
      return u2fError(U2F_ERROR_CODES.DEVICE_INELIGIBLE, 'No security key here can answer this request.');
    }
    const code = U2F_ERROR_NAMES[result.error.name] ?? U2F_ERROR_CODES.OTHER_ERROR;
    return u2fError(code, result.error.message);
  }

  Object.defineProperty(root, 'SoftKeyPageJson', {
    value: Object.freeze({
      bufferSourceToBytes, bufferSourceToB64url, b64urlToArrayBuffer, randomRequestId,
      creationOptionsToJSON, requestOptionsToJSON, extensionResultsFromJSON,
      u2fRegisterArgsToJSON, u2fSignArgsToJSON, u2fError, u2fCallbackData,
    }),
    configurable: true, enumerable: false, writable: false,
  });
})(typeof globalThis !== 'undefined' ? globalThis : self);
