// GENERATED from wasm/core/src/sites.rs by `SOFTKEY_BLESS=1 cargo test -p softkey-core sites`.
// Do not edit: change the table in Rust; a test fails when this file and the table differ.
//
// The one answer to "which AWS or Amazon.com surface is this URL, and what may SoftKey do
// there?" for every JavaScript context: content scripts (listed before the scripts that use it),
// the MAIN-world script (the build concatenates it in front; page.js deletes the global at
// once), the service worker and Node tests (`import` for the side effect). Like
// shared/messages.js it is both a classic script and an ES module, so it has no module syntax.
(function (root) {
  'use strict';
  const SURFACES = Object.freeze([
    { id: "aws-signin", kind: "awsSignin", partition: "aws", host: /^signin\.aws\.amazon\.com$/, path: null, webauthn: true, u2f: true, fill: true, submit: true, capture: false },
    { id: "aws-signin-sub", kind: "awsSignin", partition: "aws", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.signin\.aws\.amazon\.com$/, path: null, webauthn: true, u2f: true, fill: true, submit: true, capture: false },
    { id: "aws-console", kind: "console", partition: "aws", host: /^console\.aws\.amazon\.com$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "aws-console-session", kind: "console", partition: "aws", host: /^[0-9]{12}-[a-z0-9]{8}\.[a-z]{2,4}(?:-[a-z]{2,12}){1,2}-[0-9]{1,2}\.console\.aws\.amazon\.com$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "aws-console-region", kind: "console", partition: "aws", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.console\.aws\.amazon\.com$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "idc-portal", kind: "identityCenterPortal", partition: "aws", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.awsapps\.com$/, path: "/start", webauthn: true, u2f: false, fill: true, submit: true, capture: true },
    { id: "idc-portal-app", kind: "identityCenterPortal", partition: "aws", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.portal\.[a-z]{2,4}(?:-[a-z]{2,12}){1,2}-[0-9]{1,2}\.app\.aws$/, path: null, webauthn: true, u2f: false, fill: true, submit: true, capture: true },
    { id: "idc-signin", kind: "identityCenterSignin", partition: "aws", host: /^[a-z]{2,4}(?:-[a-z]{2,12}){1,2}-[0-9]{1,2}\.signin\.aws$/, path: null, webauthn: true, u2f: false, fill: true, submit: true, capture: true },
    { id: "builder-id-profile", kind: "builderIdProfile", partition: "aws", host: /^profile\.aws\.amazon\.com$/, path: null, webauthn: true, u2f: false, fill: true, submit: true, capture: true },
    { id: "gov-signin", kind: "awsSignin", partition: "aws-us-gov", host: /^signin\.amazonaws-us-gov\.com$/, path: null, webauthn: true, u2f: true, fill: true, submit: true, capture: false },
    { id: "gov-signin-sub", kind: "awsSignin", partition: "aws-us-gov", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.signin\.amazonaws-us-gov\.com$/, path: null, webauthn: true, u2f: true, fill: true, submit: true, capture: false },
    { id: "gov-console", kind: "console", partition: "aws-us-gov", host: /^console\.amazonaws-us-gov\.com$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "gov-console-session", kind: "console", partition: "aws-us-gov", host: /^[0-9]{12}-[a-z0-9]{8}\.[a-z]{2,4}(?:-[a-z]{2,12}){1,2}-[0-9]{1,2}\.console\.amazonaws-us-gov\.com$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "gov-console-region", kind: "console", partition: "aws-us-gov", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.console\.amazonaws-us-gov\.com$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "cn-signin", kind: "awsSignin", partition: "aws-cn", host: /^signin\.amazonaws\.cn$/, path: null, webauthn: true, u2f: true, fill: true, submit: true, capture: false },
    { id: "cn-signin-sub", kind: "awsSignin", partition: "aws-cn", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.signin\.amazonaws\.cn$/, path: null, webauthn: true, u2f: true, fill: true, submit: true, capture: false },
    { id: "cn-console", kind: "console", partition: "aws-cn", host: /^console\.amazonaws\.cn$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "cn-console-session", kind: "console", partition: "aws-cn", host: /^[0-9]{12}-[a-z0-9]{8}\.[a-z]{2,4}(?:-[a-z]{2,12}){1,2}-[0-9]{1,2}\.console\.amazonaws\.cn$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "cn-console-region", kind: "console", partition: "aws-cn", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.console\.amazonaws\.cn$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "eusc-signin", kind: "awsSignin", partition: "aws-eusc", host: /^signin\.amazonaws-eusc\.eu$/, path: null, webauthn: true, u2f: true, fill: true, submit: true, capture: false },
    { id: "eusc-signin-sub", kind: "awsSignin", partition: "aws-eusc", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.signin\.amazonaws-eusc\.eu$/, path: null, webauthn: true, u2f: true, fill: true, submit: true, capture: false },
    { id: "eusc-console", kind: "console", partition: "aws-eusc", host: /^console\.amazonaws-eusc\.eu$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "eusc-console-session", kind: "console", partition: "aws-eusc", host: /^[0-9]{12}-[a-z0-9]{8}\.[a-z]{2,4}(?:-[a-z]{2,12}){1,2}-[0-9]{1,2}\.console\.amazonaws-eusc\.eu$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "eusc-console-region", kind: "console", partition: "aws-eusc", host: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.console\.amazonaws-eusc\.eu$/, path: null, webauthn: true, u2f: true, fill: false, submit: false, capture: true },
    { id: "amazon-login", kind: "amazonLogin", partition: "amazon", host: /^www\.amazon\.com$/, path: "/ap", webauthn: true, u2f: false, fill: true, submit: true, capture: false },
    { id: "amazon-setup", kind: "amazonSetup", partition: "amazon", host: /^www\.amazon\.com$/, path: "/a/settings/approval", webauthn: false, u2f: false, fill: false, submit: false, capture: true },
  ].map(Object.freeze));

  /** "/ap" covers "/ap" and "/ap/…", never "/apple". */
  const pathMatches = (prefix, path) =>
    prefix === null || path === prefix || (path.startsWith(prefix) && path[prefix.length] === '/');

  /** {host, path} of a default-port https URL with no credentials, else null. */
  function parts(href) {
    let url;
    try {
      url = new URL(href);
    } catch (_) {
      return null;
    }
    if (url.protocol !== 'https:' || url.port !== '' || url.username || url.password) return null;
    return { host: url.hostname, path: url.pathname || '/' };
  }

  /** The surface (with its capabilities) a URL belongs to, or null. */
  function surfaceOf(href) {
    const p = typeof href === 'string' ? parts(href) : null;
    if (!p) return null;
    return SURFACES.find((s) => s.host.test(p.host) && pathMatches(s.path, p.path)) || null;
  }

  /** Whether some surface on this origin's host has `cap` (WebAuthn sees only the origin). */
  function originHas(origin, cap) {
    if (typeof origin !== 'string' || origin === 'null') return false;
    const p = parts(origin);
    if (!p || p.path !== '/' || `https://${p.host}` !== origin) return false;
    return SURFACES.some((s) => s[cap] === true && s.host.test(p.host));
  }

  Object.defineProperty(root, 'SoftKeySites', {
    value: Object.freeze({ SURFACES, surfaceOf, originHas }),
    configurable: true, enumerable: false, writable: false,
  });
})(typeof globalThis !== 'undefined' ? globalThis : self);
