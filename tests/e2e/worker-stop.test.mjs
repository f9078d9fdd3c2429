// A service worker stopped in the middle of writes loses nothing (issue 3), with the real
// extension in Chromium. Each round runs state-changing operations at once (sign-ins that move
// the counter reservation, TOTP adds, renames of a TOTP entry and of the security key), stops
// the worker after a random delay, and then checks:
//   - the stored vault opens (checksum and AES-GCM, decrypted in lib/faults.mjs with node:crypto from the
//     envelope layout in wasm/vault/src/lib.rs and the session key: not by our code) and the
//     worker resumes unlocked;
//   - every operation acknowledged to its caller is in it (an unacknowledged one may or may not
//     be: it was cut off);
//   - the stored counter ceiling is at or above every counter a site was given, and every
//     acknowledged assertion verifies at the relying party (py_webauthn) in counter order, so no
//     counter ever repeats, across all rounds.
// The delays come from a seeded generator; the seed is printed (SOFTKEY_STOP_SEED=<n> replays it,
// SOFTKEY_STOP_ROUNDS=<n> changes how many rounds run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { url, waitForResult } from './lib/browser.mjs';
import { startExtension, answerPrompt, PASSWORD } from './lib/extension-session.mjs';
import { pagesInOwnWindows } from './lib/windows.mjs';
import { readStoredVault } from './lib/vault-store.mjs';
import { openEnvelope, counterOf, signInOn } from './lib/faults.mjs';

const ROUNDS = Number(process.env.SOFTKEY_STOP_ROUNDS || 16);
const SEED = Number(process.env.SOFTKEY_STOP_SEED || (Date.now() % 2 ** 31));
const SIGNIN_PAGES = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const sha256b64u = (text) => createHash('sha256').update(text).digest('base64url');
const base32 = (n) => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b & 31]).join('');

let session;
let server;
let browser;
let control;
let ui;
let signinPages;

/** The running service worker instances (a new id after every restart). */
const workerInstances = () => control.evaluate(async () =>
  (await chrome.runtime.getContexts({ contextTypes: ['BACKGROUND'] })).map((c) => c.contextId));

/**
 * Readies a stop of the extension's worker (closing its target stops it, see lib/browser.mjs),
 * so that `stop()` is a single DevTools command at the chosen moment.
 */
async function workerStopper() {
  const cdp = await browser.context.browser().newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const targets = targetInfos.filter((i) => i.type === 'service_worker');
  assert.equal(targets.length, 1, 'one running service worker');
  return {
    stop: () => cdp.send('Target.closeTarget', { targetId: targets[0].targetId }),
    release: () => cdp.detach().catch(() => {}),
  };
}

/**
 * Runs in the control page: adds, TOTP renames and key renames, each kind one after another,
 * until `window.__ops.stop`. Resolves `window.__ops.done` to what each got back, in order.
 * `ok: false` without `appError`: the request was cut off (no answer).
 */
function startUiOperations({ round, targetId, keyId }) {
  const ops = { stop: false, results: [] };
  window.__ops = ops;
  const b32 = () => Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b & 31]).join('');
  let n = 0;
  const loop = async (kind, request) => {
    while (!ops.stop) {
      const label = `${kind}-${round}-${n++}`;
      let reply;
      try {
        reply = await chrome.runtime.sendMessage(request(label));
      } catch (_) { /* the worker went away before it answered */ }
      ops.results.push({ kind, label, ok: reply?.ok === true, appError: reply && !reply.ok ? reply.error : undefined });
    }
  };
  ops.done = Promise.all([
    loop('add', (label) => ({ type: 'totp.add', text: `otpauth://totp/Test:${label}?secret=${b32()}&issuer=Test`, label })),
    loop('totp', (label) => ({ type: 'totp.update', id: targetId, label })),
    loop('key', (label) => ({ type: 'keys.update', id: keyId, label })),
  ]).then(() => ops.results);
}

/** Runs in a sign-in page: sign-ins one after another until `window.__ops.stop`. */
function startSignIns() {
  const ops = { stop: false, results: [] };
  window.__ops = ops;
  const W = window.FixtureWebAuthn;
  ops.done = (async () => {
    while (!ops.stop) {
      const o = await W.postJSON('/api/signin/options', { user: 'alice' });
      try {
        const cred = await navigator.credentials.get({ publicKey: W.decodeRequest(o.publicKey), signal: AbortSignal.timeout(8000) });
        ops.results.push({ ok: true, credential: W.encodeCredential(cred) });
      } catch (e) {
        ops.results.push({ ok: false, name: e.name });
      }
    }
    return ops.results;
  })();
}

before(async () => {
  session = await startExtension();
  ({ server, browser, control, ui } = session);
  // One security key, registered through the IAM page and the consent window.
  const page = await browser.context.newPage();
  const consent = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 });
  await page.goto(url('console.aws.amazon.com', '/iam/home?user=alice#/security_credentials'));
  await page.click('#next');
  const win = await consent;
  await answerPrompt(win, /^Register/);
  const registered = await waitForResult(page);
  assert.equal(registered.status, 'ok', registered.text);
  await page.close();
  // Each in a window of its own: only a window's active tab is signed for without asking.
  signinPages = await pagesInOwnWindows(browser.context, control, SIGNIN_PAGES,
    (i) => url('signin.aws.amazon.com', `/?auto=0&tab=${i}`));
});

after(() => session?.close());

test(`worker stopped at random moments during writes (${ROUNDS} rounds): nothing acknowledged is lost, no counter repeats`, async (t) => {
  t.diagnostic(`seed ${SEED} (replay: SOFTKEY_STOP_SEED=${SEED} SOFTKEY_STOP_ROUNDS=${ROUNDS})`);
  const random = seeded(SEED);
  const [key] = await ui('keys.list');
  const target = await ui('totp.add', { text: base32(20), label: 'rename-me' });

  const added = new Set(); // labels of acknowledged TOTP adds
  /** A rename target: the last acknowledged label, plus those sent since without an answer. */
  const renames = { totp: { acked: 'rename-me', maybe: [] }, key: { acked: key.label, maybe: [] } };
  const counters = []; // every counter a site was given
  let maxVerified = 0;
  const tally = { signins: 0, adds: 0, renames: 0, cutOff: 0, errors: {}, appErrors: [] };

  for (let round = 0; round < ROUNDS; round++) {
    const delay = Math.round(20 + random() * 580);
    // The operations run inside the pages, back to back, so that the worker is nearly always
    // in the middle of one (most of them end in a vault write).
    await control.evaluate(startUiOperations, { round, targetId: target.id, keyId: key.id });
    await Promise.all(signinPages.map((p) => p.evaluate(startSignIns)));
    const [instance] = await workerInstances();
    const stopper = await workerStopper();
    await sleep(delay);
    await stopper.stop();
    // Operations in flight at that moment are cut off; those started in the few ms until the
    // pages see the flag wake a new worker and finish normally, like any request after a stop.
    const pages = [control, ...signinPages];
    await Promise.all(pages.map((p) => p.evaluate(() => { window.__ops.stop = true; })));
    const [uiResults, ...signinResults] = await Promise.all(pages.map((p) => p.evaluate(() => window.__ops.done)));
    await stopper.release();
    for (const r of uiResults) {
      if (r.appError) tally.appErrors.push(r);
      if (r.kind === 'add') {
        if (r.ok) added.add(r.label);
      } else if (r.ok) {
        renames[r.kind] = { acked: r.label, maybe: [] };
      } else {
        renames[r.kind].maybe.push(r.label);
      }
      if (r.ok) tally[r.kind === 'add' ? 'adds' : 'renames']++;
      else tally.cutOff++;
    }
    const assertions = [];
    for (const r of signinResults.flat()) {
      if (r.ok) assertions.push(r.credential);
      else {
        tally.cutOff++;
        tally.errors[r.name] = (tally.errors[r.name] ?? 0) + 1;
      }
    }
    const where = `round ${round}, stopped after ${delay} ms (seed ${SEED})`;

    // What is stored now, every operation settled. (An operation started just after the stop may
    // have woken a new worker and written too: acknowledged is acknowledged, either way.)
    const stored = await readStoredVault(control);
    const { sessionKey } = await control.evaluate(() => chrome.storage.session.get('sessionKey'));
    assert.ok(sessionKey, `${where}: the session key survives a worker stop`);
    const contents = openEnvelope(stored.vault, sessionKey);
    const labels = contents.totp.map((e) => e.label);
    for (const label of added) assert.ok(labels.includes(label), `${where}: acknowledged add ${label} is missing`);
    assert.equal(new Set(contents.totp.map((e) => e.id)).size, contents.totp.length, `${where}: duplicate entry ids`);
    const storedTarget = contents.totp.find((e) => e.id === target.id);
    assert.ok([renames.totp.acked, ...renames.totp.maybe].includes(storedTarget?.label),
      `${where}: TOTP label ${storedTarget?.label}, acknowledged ${renames.totp.acked}`);
    const storedKey = contents.securityKeys.find((k) => k.id === key.id);
    assert.ok([renames.key.acked, ...renames.key.maybe].includes(storedKey?.label),
      `${where}: key label ${storedKey?.label}, acknowledged ${renames.key.acked}`);
    assert.ok(stored.vaultIndex.credentials.includes(sha256b64u(key.id)), `${where}: the locked-state index lost the key`);

    // Counters: the stored ceiling covers every one given out, and none repeats.
    const given = assertions.map(counterOf);
    counters.push(...given);
    assert.equal(new Set(counters).size, counters.length, `${where}: a counter repeated: ${given}`);
    assert.ok(storedKey.signCount >= Math.max(0, ...counters), `${where}: stored ceiling ${storedKey.signCount} < given ${Math.max(...counters)}`);

    // The worker comes back unlocked (session key), as a new instance, with the same contents.
    assert.equal((await ui('vault.status')).state, 'unlocked', where);
    assert.ok(!(await workerInstances()).includes(instance), `${where}: the worker was not stopped`);
    const listed = (await ui('totp.list')).map((e) => e.label);
    assert.deepEqual([...listed].sort(), [...labels].sort(), `${where}: the worker sees what is stored`);

    // Every acknowledged assertion verifies at the relying party, in counter order.
    for (const credential of [...assertions].sort((a, b) => counterOf(a) - counterOf(b))) {
      const verdict = await server.request('POST', '/api/signin/verify', { credential });
      assert.ok(verdict.ok, `${where}: counter ${counterOf(credential)} refused: ${verdict.error}`);
      assert.ok(verdict.newSignCount > maxVerified);
      maxVerified = verdict.newSignCount;
    }
    tally.signins += assertions.length;
  }
  t.diagnostic(`acknowledged: ${tally.signins} sign-ins, ${tally.adds} adds, ${tally.renames} renames; ` +
    `${tally.cutOff} cut off by a stop (sign-in errors ${JSON.stringify(tally.errors)})`);
  assert.deepEqual(tally.appErrors, [], 'the worker refused an operation');
  assert.ok(tally.signins > ROUNDS && tally.adds > ROUNDS, JSON.stringify(tally));
  // Timing decides how many; none at all would mean the stops only ever fell between operations.
  assert.ok(tally.cutOff > 0, `no stop landed during an operation: ${JSON.stringify(tally)}`);

  // The password still opens the last vault, and signing goes on above every counter given.
  await ui('vault.lock');
  await ui('vault.unlock', { password: PASSWORD });
  const r = await signInOn(signinPages[0]);
  assert.ok(r.ok, r.message);
  const verdict = await server.request('POST', '/api/signin/verify', { credential: r.credential });
  assert.ok(verdict.ok && verdict.newSignCount > Math.max(...counters), JSON.stringify(verdict));
});
