/*
 * Base64url (RFC 4648 §5, unpadded): how bytes travel in every SoftKey message.
 *
 * A classic script and an ES module at once (no import/export syntax): it only sets
 * `globalThis.SoftKeyBase64url` (non-enumerable). The MAIN-world script (page.js), the isolated
 * content scripts, the worker and the Node tests load it the same way as shared/messages.js.
 */
(function (root) {
  'use strict';

  const B64URL_RE = /^[A-Za-z0-9_-]*$/;
  const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const LOOKUP = (() => {
    const t = new Int16Array(128).fill(-1);
    for (let i = 0; i < CHARS.length; i++) t[CHARS.charCodeAt(i)] = i;
    return t;
  })();

  /** @param {Uint8Array} bytes @returns {string} */
  function bytesToB64url(bytes) {
    let out = '';
    let i = 0;
    for (; i + 2 < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out += CHARS[n >> 18] + CHARS[(n >> 12) & 63] + CHARS[(n >> 6) & 63] + CHARS[n & 63];
    }
    if (i < bytes.length) {
      const n = (bytes[i] << 16) | ((i + 1 < bytes.length ? bytes[i + 1] : 0) << 8);
      out += CHARS[n >> 18] + CHARS[(n >> 12) & 63];
      if (i + 1 < bytes.length) out += CHARS[(n >> 6) & 63];
    }
    return out;
  }

  /** Decoded byte length of a syntactically valid base64url string, or -1. */
  function byteLength(s) {
    if (typeof s !== 'string' || !B64URL_RE.test(s) || s.length % 4 === 1) return -1;
    return Math.floor((s.length * 3) / 4);
  }

  /** Strict decoder: rejects padding, bad characters and non-canonical trailing bits. */
  function b64urlToBytes(s) {
    if (byteLength(s) < 0) throw new TypeError('invalid base64url');
    const out = new Uint8Array(Math.floor((s.length * 3) / 4));
    let o = 0;
    let i = 0;
    for (; i + 3 < s.length; i += 4) {
      const n = (LOOKUP[s.charCodeAt(i)] << 18) | (LOOKUP[s.charCodeAt(i + 1)] << 12)
        | (LOOKUP[s.charCodeAt(i + 2)] << 6) | LOOKUP[s.charCodeAt(i + 3)];
      out[o++] = n >> 16; out[o++] = (n >> 8) & 255; out[o++] = n & 255;
    }
    const rest = s.length - i;
    if (rest >= 2) {
      const a = LOOKUP[s.charCodeAt(i)];
      const b = LOOKUP[s.charCodeAt(i + 1)];
      const c = rest === 3 ? LOOKUP[s.charCodeAt(i + 2)] : 0;
      if (rest === 2 && (b & 15)) throw new TypeError('invalid base64url (trailing bits)');
      if (rest === 3 && (c & 3)) throw new TypeError('invalid base64url (trailing bits)');
      out[o++] = (a << 2) | (b >> 4);
      if (rest === 3) out[o++] = ((b & 15) << 4) | (c >> 2);
    }
    return out;
  }

  Object.defineProperty(root, 'SoftKeyBase64url', {
    value: Object.freeze({ bytesToB64url, b64urlToBytes, byteLength }),
    configurable: true, enumerable: false, writable: false,
  });
})(typeof globalThis !== 'undefined' ? globalThis : self);
