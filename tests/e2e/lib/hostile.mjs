// Helpers for tests/e2e/hostile.test.mjs: one WebAuthn call made by a page (or one of its
// frames), in Chromium with the extension and in Chromium without it, and the windows the
// extension opened meanwhile.

/**
 * Runs in the page: navigator.credentials[op] with `pk` as the publicKey options. Strings in
 * `pk` stand for values JSON cannot carry: "$challenge" 32 random bytes, "$ours" the credential
 * ID `ours` (base64url), "$bytes:N" N random bytes. `pk === "$omit"` leaves publicKey out.
 * Resolves with {ok, id, counter} or {name, message}; {name: "Timeout"} if nothing settled
 * within `timeout` ms (a request the browser waits on forever).
 */
export function pageCall({ op, pk, ours = '', timeout = 12000, signal = null, idle = false }) {
  // Playwright evaluates with a user gesture, which gives the frame transient activation for
  // about 5 s; `idle` waits until it has lapsed, so the call is made as a script would make it
  // on its own.
  if (idle) {
    return new Promise((resolve) => {
      const tick = () => (navigator.userActivation.isActive ? setTimeout(tick, 200) : resolve());
      tick();
    }).then(() => call());
  }
  return call();

  function call() {
    const fromB64url = (s) => {
      const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
      return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
    };
    const random = (n) => crypto.getRandomValues(new Uint8Array(n)).buffer;
    const convert = (v) => {
      if (v === '$challenge') return random(32);
      if (v === '$ours') return fromB64url(ours);
      if (typeof v === 'string' && v.startsWith('$bytes:')) return random(Number(v.slice(7)));
      if (Array.isArray(v)) return v.map(convert);
      if (v && typeof v === 'object') {
        const o = {};
        for (const k of Object.keys(v)) o[k] = convert(v[k]);
        return o;
      }
      return v;
    };
    const options = pk === '$omit' ? {} : { publicKey: convert(pk) };
    if (signal === 'aborted') options.signal = AbortSignal.abort();
    if (signal === 'timeout-reason') options.signal = AbortSignal.abort(new DOMException('stop', 'TimeoutError'));
    let call;
    try {
      call = navigator.credentials[op](options);
    } catch (e) {
      return Promise.resolve({ name: `sync ${e && e.name}`, message: String(e && e.message) });
    }
    const settled = call.then(
      (c) => ({
        ok: true,
        id: c.id,
        counter: op === 'get' ? new DataView(c.response.authenticatorData).getUint32(33) : null,
      }),
      (e) => ({ name: e && e.name, message: String(e && e.message) }),
    );
    return Promise.race([settled, new Promise((r) => setTimeout(() => r({ name: 'Timeout' }), timeout))]);
  }
}

/** Records the extension's prompt windows (consent, unlock) that open in `context`. */
export function promptWatcher(context) {
  const seen = [];
  context.on('page', (p) => {
    const kind = /consent\.html/.test(p.url()) ? 'consent' : /unlock\.html/.test(p.url()) ? 'unlock' : null;
    if (kind) seen.push({ kind, page: p });
    else {
      // An extension window may report its URL only once it has loaded.
      p.waitForLoadState('domcontentloaded').then(() => {
        const k = /consent\.html/.test(p.url()) ? 'consent' : /unlock\.html/.test(p.url()) ? 'unlock' : null;
        if (k && !seen.some((s) => s.page === p)) seen.push({ kind: k, page: p });
      }).catch(() => {});
    }
  });
  return {
    count: () => seen.length,
    since: (n) => seen.slice(n),
    /** The next prompt window of `kind` from index `from` on. */
    async next(kind, from, timeout = 15000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const hit = seen.slice(from).find((s) => s.kind === kind);
        if (hit) {
          await hit.page.waitForLoadState();
          return hit.page;
        }
        if (Date.now() > deadline) throw new Error(`no ${kind} window`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** The signature counter in a base64url authenticatorData. */
export function counterOf(credentialJson) {
  return Buffer.from(credentialJson.response.authenticatorData, 'base64url').readUInt32BE(33);
}
