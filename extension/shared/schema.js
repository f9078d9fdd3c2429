/*
 * The one validator of SoftKey's messages: small declarative schemas and the check that runs
 * them. shared/messages.js declares every message with these; each trust boundary (the bridge,
 * the worker's router and handlers, the offscreen document) checks what enters it with
 * `validate`, and nothing checks the same message again on the same hop.
 *
 * A schema is a function `(value, path)` that returns nothing or throws `Invalid` naming the
 * path of the first bad field, e.g. "message.options.challenge: must decode to 16..1024 bytes".
 * Objects refuse fields they do not declare, so a page cannot smuggle a field (an origin, say)
 * past a hop that does not read it.
 *
 * A classic script and an ES module at once (no import/export syntax, like shared/messages.js):
 * it sets `globalThis.SoftKeySchema`. shared/base64url.js must run first.
 */
(function (root) {
  'use strict';

  const B = root.SoftKeyBase64url;

  class Invalid extends Error {}
  function fail(path, why) { throw new Invalid(`${path}: ${why}`); }
  const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
    && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

  /** Marks a field that may be absent (undefined). */
  function optional(schema) {
    const s = (v, path) => { if (v !== undefined) schema(v, path); };
    s.optional = true;
    return s;
  }
  const nullable = (schema) => (v, path) => { if (v !== null) schema(v, path); };

  const string = ({ min = 0, max = 1024, pattern, why = 'has characters not allowed here', blank = true } = {}) =>
    (v, path) => {
      if (typeof v !== 'string') fail(path, 'must be a string');
      if (v.length < min || v.length > max) fail(path, `length must be ${min}..${max}`);
      if (!blank && v.trim() === '') fail(path, 'must not be blank');
      if (pattern && !pattern.test(v)) fail(path, why);
    };
  const bool = () => (v, path) => { if (typeof v !== 'boolean') fail(path, 'must be a boolean'); };
  const int = ({ min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}) => (v, path) => {
    if (!Number.isSafeInteger(v) || v < min || v > max) fail(path, `must be an integer ${min}..${max}`);
  };
  const number = ({ min = -Infinity, max = Infinity } = {}) => (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(path, `must be a number ${min}..${max}`);
  };
  const oneOf = (values) => (v, path) => {
    if (!values.includes(v)) fail(path, `must be one of ${values.join('|')}`);
  };
  const literal = (value) => (v, path) => { if (v !== value) fail(path, `must be ${JSON.stringify(value)}`); };
  /** Base64url text of min..max bytes, canonical (a decoder must give back the same text). */
  const b64url = ({ min = 0, max }) => (v, path) => {
    const n = B.byteLength(v);
    if (n < 0) fail(path, 'must be base64url');
    if (n < min || n > max) fail(path, `must decode to ${min}..${max} bytes`);
    try { B.b64urlToBytes(v); } catch (e) { fail(path, e.message); }
  };
  const array = (item, { min = 0, max }) => (v, path) => {
    if (!Array.isArray(v)) fail(path, 'must be an array');
    if (v.length > max) fail(path, `at most ${max} entries`);
    if (v.length < min) fail(path, `at least ${min} entries`);
    v.forEach((x, i) => item(x, `${path}[${i}]`));
  };
  /**
   * A plain object with the declared fields (the optional ones may be absent). Any other field is
   * refused, unless `open`: for a receiver that reads the declared fields one by one and passes
   * nothing else on, so an extra field can reach nothing.
   */
  const object = (fields, { open = false } = {}) => {
    const names = Object.keys(fields);
    const s = (v, path) => {
      if (!isPlainObject(v)) fail(path, 'must be a plain object');
      if (!open) for (const k of Object.keys(v)) if (!Object.hasOwn(fields, k)) fail(`${path}.${k}`, 'unexpected field');
      for (const k of names) fields[k](v[k], `${path}.${k}`);
    };
    s.fields = fields;
    return s;
  };
  /** A plain object used as a map: keys checked by `key`, values by `value`. */
  const record = (key, value, { max }) => (v, path) => {
    if (!isPlainObject(v)) fail(path, 'must be a plain object');
    const keys = Object.keys(v);
    if (keys.length > max) fail(path, `at most ${max} entries`);
    for (const k of keys) {
      key(k, `${path} key`);
      value(v[k], `${path}[${k}]`);
    }
  };
  /** One of several object shapes, told apart by the value of field `tag`. */
  const union = (tag, shapes) => (v, path) => {
    if (!isPlainObject(v)) fail(path, 'must be a plain object');
    const shape = Object.hasOwn(shapes, v[tag]) ? shapes[v[tag]] : null;
    if (!shape) fail(`${path}.${tag}`, `must be one of ${Object.keys(shapes).join('|')}`);
    shape(v, path);
  };
  /** `schema`, then a rule across its fields: `rule(value)` returns why it fails, or null. */
  const where = (schema, rule) => {
    const s = (v, path) => {
      if (v === undefined && schema.optional) return;
      schema(v, path);
      const why = rule(v);
      if (why) fail(path, why);
    };
    s.optional = schema.optional;
    return s;
  };

  /** Runs `schema`: `{ok: true, error: null}` or `{ok: false, error: "path: why"}`. */
  function validate(schema, value, path = 'message') {
    try {
      schema(value, path);
      return { ok: true, error: null };
    } catch (e) {
      if (e instanceof Invalid) return { ok: false, error: e.message };
      return { ok: false, error: `validator failure: ${e && e.message}` };
    }
  }

  Object.defineProperty(root, 'SoftKeySchema', {
    value: Object.freeze({
      optional, nullable, string, bool, int, number, oneOf, literal, b64url, array, object, record, union, where,
      validate, isPlainObject,
    }),
    configurable: true, enumerable: false, writable: false,
  });
})(typeof globalThis !== 'undefined' ? globalThis : self);
