// Hostile pages against the real extension (dist/), issue 9. Every case runs a page's WebAuthn
// call in Chromium with SoftKey and, where the comparison applies, the same call in Chromium
// without it (a CDP virtual authenticator attached), and compares the DOMException names.
// After every case that should not sign, the vault is checked unchanged: the same keys and the
// same counter. Prompt windows are counted: a case that must not open one fails if it did.
//
//   node --test tests/e2e/hostile.test.mjs        (~3 min on 2 cores)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { url, launchBrowser, addVirtualAuthenticator, extensionWorker, stopAllServiceWorkers } from './lib/browser.mjs';
import { startExtension, answerPrompt, PASSWORD } from './lib/extension-session.mjs';
import { pageCall, promptWatcher, counterOf } from './lib/hostile.mjs';
import { pageInOwnWindow, pagesInOwnWindows } from './lib/windows.mjs';
import { readStoredVault } from './lib/vault-store.mjs';

let session;
let ext; // {context, ui, control, prompts}
let base; // {context}: Chromium without the extension
let ours = ''; // our registered key's credential ID
let theirs = ''; // a credential of the virtual authenticator in the baseline profile
let lastUserAction = Date.now();

const SIGNIN = 'signin.aws.amazon.com';
const CONSOLE = 'console.aws.amazon.com';
const BLANK = '/hostile/blank';
const tally = { cases: 0, compared: 0 };

const getPk = (extra = {}) => ({ challenge: '$challenge', rpId: 'amazon.com', allowCredentials: [{ type: 'public-key', id: '$ours' }],
  userVerification: 'discouraged', timeout: 20000, ...extra });
const createPk = (extra = {}) => ({
  rp: { id: 'amazon.com', name: 'AWS' },
  user: { id: '$bytes:16', name: 'mallory', displayName: 'mallory' },
  challenge: '$challenge',
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  authenticatorSelection: { userVerification: 'discouraged' },
  timeout: 20000,
  ...extra,
});

/** Our vault as seen from the UI API (key ids and counters), or while locked the stored
 * envelope itself (unchanged bytes: nothing signed or added). */
async function vaultSnapshot() {
  try {
    const keys = await ext.ui('keys.list');
    return JSON.stringify(keys.map((k) => [k.id, k.signCount]).sort());
  } catch (e) {
    if (e.name !== 'VaultLocked') throw e;
    return (await readStoredVault(ext.control)).vault;
  }
}

/** Opens `path` on `host` (a fresh tab of its own, with an empty virtual authenticator so that
 * whatever goes to the browser settles), and returns the page or the frame `frame`. */
async function open(context, host, path, { frame = null, own = false } = {}) {
  const href = url(host, path);
  const page = own ? await pageInOwnWindow(context, ext.control, `${href}${href.includes('?') ? '&' : '?'}w=${Math.random()}`)
    : await context.newPage();
  await addVirtualAuthenticator(page);
  if (!own) await page.goto(href);
  let target = page;
  if (frame) {
    const el = await page.waitForSelector(`iframe#${frame}`);
    target = await el.contentFrame();
    await target.waitForLoadState();
  }
  return { page, target };
}

/** One call in the extension's profile and, with `compare`, in the baseline profile. */
async function runCase(c) {
  const spec = { op: c.op, pk: c.pk, signal: c.signal ?? null, timeout: c.timeout ?? 12000, idle: c.idle ?? false };
  const beforeVault = await vaultSnapshot();
  const prompts = ext.prompts.count();
  const e = await open(ext.context, c.host ?? SIGNIN, c.path ?? BLANK, { frame: c.frame });
  let got;
  try {
    got = await e.target.evaluate(pageCall, { ...spec, ours });
  } finally {
    await e.page.close();
  }
  let baseline = null;
  if (c.compare !== false) {
    const b = await open(base.context, c.host ?? SIGNIN, c.path ?? BLANK, { frame: c.frame });
    try {
      baseline = await b.target.evaluate(pageCall, { ...spec, ours: c.baselineId === 'theirs' ? theirs : ours });
    } finally {
      await b.page.close();
    }
  }
  return { got, baseline, prompts: ext.prompts.count() - prompts, vaultUnchanged: (await vaultSnapshot()) === beforeVault };
}

/** Table cases: `expect` is the DOMException name in the extension's profile ('ok' = signed or
 * created by whoever answered); `compare` (default true) also demands Chromium's own name. */
const CASES = [
  // --- RP ID and origin classes that held before the fixes (compare with Chromium)
  { id: 'get: rpId of another site', op: 'get', pk: getPk({ rpId: 'google.com' }), expect: 'SecurityError' },
  { id: 'get: rpId a public suffix', op: 'get', pk: getPk({ rpId: 'com' }), expect: 'SecurityError' },
  { id: 'get: rpId a look-alike suffix', op: 'get', pk: getPk({ rpId: 'amazon.com.evil.test' }), expect: 'SecurityError' },
  { id: 'get: rpId a sibling host', op: 'get', pk: getPk({ rpId: 'console.aws.amazon.com' }), expect: 'SecurityError' },
  { id: 'get: rpId evil-amazon.com', op: 'get', pk: getPk({ rpId: 'evil-amazon.com' }), expect: 'SecurityError' },
  { id: 'get: rpId an IP address', op: 'get', pk: getPk({ rpId: '127.0.0.1' }), expect: 'SecurityError' },
  { id: 'get: rpId empty', op: 'get', pk: getPk({ rpId: '' }), expect: 'SecurityError' },
  { id: 'get: appid of another site', op: 'get', pk: getPk({ extensions: { appid: 'https://evil.test/app-id.json' } }), expect: 'SecurityError' },
  { id: 'create: rp.id of another site', op: 'create', pk: createPk({ rp: { id: 'google.com', name: 'x' } }), expect: 'SecurityError' },
  { id: 'create: rp.id a public suffix', op: 'create', pk: createPk({ rp: { id: 'com', name: 'x' } }), expect: 'SecurityError' },
  { id: 'create: rp.id a look-alike suffix', op: 'create', pk: createPk({ rp: { id: 'amazon.com.evil.test', name: 'x' } }), expect: 'SecurityError' },
  { id: 'create: appidExclude of another site', op: 'create', pk: createPk({ extensions: { appidExclude: 'https://evil.test/a.json' } }), expect: 'SecurityError' },
  { id: 'non-AWS host asking for amazon.com', op: 'get', host: 'www.example.test', pk: getPk(), expect: 'SecurityError' },
  { id: 'look-alike host asking for amazon.com', op: 'get', host: 'signin.aws.amazon.com.example.test', pk: getPk(), expect: 'SecurityError' },
  { id: 'look-alike host naming our key under its own RP ID', op: 'get', host: 'signin-aws-amazon.com', pk: getPk({ rpId: 'signin-aws-amazon.com' }), expect: 'NotAllowedError' },
  { id: 'look-alike www.amazon.com.example.test, own RP ID', op: 'get', host: 'www.amazon.com.example.test', pk: getPk({ rpId: 'www.amazon.com.example.test' }), expect: 'NotAllowedError' },
  { id: 'AWS host on another port: not ours', op: 'get', host: 'signin.aws.amazon.com:8443', pk: getPk(), expect: 'NotAllowedError' },
  { id: 'cross-site frame: create with the permissions policy, no user activation', op: 'create', host: 'www.example.test', path: `/hostile/embed?src=${encodeURIComponent(url(CONSOLE, BLANK))}`, frame: 'child', pk: createPk(), idle: true, expect: 'NotAllowedError' },
  { id: 'same-site cross-origin frame: create without user activation', op: 'create', host: 'console.aws.amazon.com', path: `/hostile/embed?src=${encodeURIComponent(url(SIGNIN, BLANK))}`, frame: 'child', pk: createPk({ rp: { id: 'signin.aws.amazon.com', name: 'AWS' } }), idle: true, expect: 'NotAllowedError' },
  { id: 'cross-origin frame without the permissions policy', op: 'get', host: 'www.example.test', path: `/hostile/embed?allow=0&src=${encodeURIComponent(url(SIGNIN, BLANK))}`, frame: 'child', pk: getPk(), expect: 'NotAllowedError' },
  // --- malformed options: Chromium's own TypeError (or other name), never ours
  { id: 'get: no challenge', op: 'get', pk: getPk({ challenge: undefined }), expect: 'TypeError' },
  { id: 'get: challenge a string', op: 'get', pk: getPk({ challenge: 'abc' }), expect: 'TypeError' },
  { id: 'get: allowCredentials a number', op: 'get', pk: getPk({ allowCredentials: 5 }), expect: 'TypeError' },
  { id: 'get: credential id a string', op: 'get', pk: getPk({ allowCredentials: [{ type: 'public-key', id: 'abc' }] }), expect: 'TypeError' },
  { id: 'get: transports a string', op: 'get', pk: getPk({ allowCredentials: [{ type: 'public-key', id: '$ours', transports: 'usb' }] }), expect: 'TypeError' },
  { id: 'get: descriptor a number', op: 'get', pk: getPk({ allowCredentials: [7] }), expect: 'TypeError' },
  { id: 'get: publicKey null', op: 'get', pk: null, expect: 'same' },
  { id: 'get: no publicKey at all', op: 'get', pk: '$omit', expect: 'same' },
  { id: 'create: pubKeyCredParams a number', op: 'create', pk: createPk({ pubKeyCredParams: 7 }), expect: 'TypeError' },
  { id: 'create: pubKeyCredParams a string', op: 'create', pk: createPk({ pubKeyCredParams: 'es256' }), expect: 'TypeError' },
  { id: 'create: pubKeyCredParams [7]', op: 'create', pk: createPk({ pubKeyCredParams: [7] }), expect: 'TypeError' },
  { id: 'create: pubKeyCredParams entry without alg', op: 'create', pk: createPk({ pubKeyCredParams: [{ type: 'public-key' }] }), expect: 'TypeError' },
  { id: 'create: no user', op: 'create', pk: createPk({ user: undefined }), expect: 'TypeError' },
  { id: 'create: user without id', op: 'create', pk: createPk({ user: { name: 'm', displayName: 'm' } }), expect: 'TypeError' },
  { id: 'create: user.id of 65 bytes', op: 'create', pk: createPk({ user: { id: '$bytes:65', name: 'm', displayName: 'm' } }), expect: 'TypeError' },
  { id: 'create: no rp', op: 'create', pk: createPk({ rp: undefined }), expect: 'TypeError' },
  { id: 'create: challenge a number', op: 'create', pk: createPk({ challenge: 42 }), expect: 'TypeError' },
  { id: 'create: excludeCredentials not a list', op: 'create', pk: createPk({ excludeCredentials: {} }), expect: 'TypeError' },
  { id: 'create: authenticatorSelection a number', op: 'create', pk: createPk({ authenticatorSelection: 3 }), expect: 'TypeError' },
  { id: 'get: already aborted signal', op: 'get', pk: getPk(), signal: 'aborted', expect: 'AbortError' },
  { id: 'create: already aborted signal', op: 'create', pk: createPk(), signal: 'aborted', expect: 'AbortError' },
  { id: 'get: aborted with a reason', op: 'get', pk: getPk(), signal: 'timeout-reason', expect: 'TimeoutError' },
  // --- defect 1: opaque origins and about:blank go to the browser
  { id: 'sandboxed frame (allow-scripts) on an AWS host: get', op: 'get', host: SIGNIN, path: `/hostile/embed?sandbox=allow-scripts&src=${BLANK}`, frame: 'child', pk: getPk(), expect: 'same' },
  { id: 'sandboxed frame (allow-scripts) on an AWS host: create', op: 'create', host: CONSOLE, path: `/hostile/embed?sandbox=allow-scripts&src=${BLANK}`, frame: 'child', pk: createPk(), expect: 'same' },
  { id: 'CSP sandbox top-level AWS page: get', op: 'get', host: SIGNIN, path: `${BLANK}?csp=sandbox`, pk: getPk(), expect: 'same' },
  { id: 'CSP sandbox top-level AWS page: create', op: 'create', host: CONSOLE, path: `${BLANK}?csp=sandbox`, pk: createPk(), expect: 'same' },
  { id: 'about:blank frame of an AWS page: get', op: 'get', host: SIGNIN, path: '/hostile/embed?blank=1', frame: 'child', pk: getPk(), expect: 'same' },
  { id: 'srcdoc frame of an AWS page: get', op: 'get', host: SIGNIN, path: '/hostile/embed?srcdoc=1', frame: 'child', pk: getPk(), expect: 'same' },
  { id: 'sandboxed frame with allow-same-origin stays ours', op: 'get', host: SIGNIN, path: `/hostile/embed?sandbox=${encodeURIComponent('allow-scripts allow-same-origin')}&src=${BLANK}`, frame: 'child', pk: getPk(), expect: 'ok', compare: false, signs: true },
  // --- defect 8: requests no key of ours can serve go to the browser untouched
  { id: 'create: RS256 only', op: 'create', host: CONSOLE, pk: createPk({ pubKeyCredParams: [{ type: 'public-key', alg: -257 }] }), expect: 'same' },
  { id: 'create: EdDSA only', op: 'create', host: CONSOLE, pk: createPk({ pubKeyCredParams: [{ type: 'public-key', alg: -8 }] }), expect: 'same' },
  { id: 'create: platform authenticator', op: 'create', host: CONSOLE, pk: createPk({ authenticatorSelection: { authenticatorAttachment: 'platform' } }), expect: 'same' },
  { id: 'create: user verification required', op: 'create', host: CONSOLE, pk: createPk({ authenticatorSelection: { userVerification: 'required' } }), expect: 'same' },
  { id: 'get: user verification required, naming our key', op: 'get', pk: getPk({ userVerification: 'required' }), expect: 'same' },
  { id: 'get: a credential we do not hold', op: 'get', pk: getPk({ allowCredentials: [{ type: 'public-key', id: '$bytes:64' }] }), expect: 'NotAllowedError' },
  // --- positive controls: the AWS page itself is signed for without a prompt
  { id: 'top-level AWS page signs silently', op: 'get', pk: getPk(), expect: 'ok', compare: false, signs: true },
  { id: 'same-site frame (console embeds signin) signs silently', op: 'get', host: CONSOLE, path: `/hostile/embed?src=${encodeURIComponent(url(SIGNIN, BLANK))}`, frame: 'child', pk: getPk(), expect: 'ok', compare: false, signs: true },
];

before(async () => {
  session = await startExtension();
  ext = { context: session.browser.context, ui: session.ui, control: session.control, prompts: promptWatcher(session.browser.context) };
  const baseBrowser = await launchBrowser({ server: session.server, dist: null });
  base = { context: baseBrowser.context, close: baseBrowser.close };

  // Our key, registered through the IAM page and the consent window.
  const page = await ext.context.newPage();
  const from = ext.prompts.count();
  await page.goto(url(CONSOLE, '/iam/home?user=alice#/security_credentials'));
  await page.click('#next');
  await answerPrompt(await ext.prompts.next('consent', from), /^Register/);
  await page.waitForFunction(() => document.getElementById('result').dataset.status === 'ok');
  await page.close();
  [{ id: ours }] = await ext.ui('keys.list');
  lastUserAction = Date.now();

  // A credential the baseline's virtual authenticator holds (for the exclude-list comparison).
  const b = await open(base.context, CONSOLE, BLANK);
  const made = await b.target.evaluate(pageCall, { op: 'create', pk: createPk({ user: { id: '$bytes:16', name: 'alice', displayName: 'alice' } }) });
  assert.ok(made.ok, JSON.stringify(made));
  theirs = made.id;
  // The authenticator goes with its page; keep the page for the later comparison.
  base.theirsPage = b.page;
});

after(async () => {
  await base?.close?.();
  await session?.close();
});

test(`hostile table: ${CASES.length} cases, each compared with Chromium where it applies`, async (t) => {
  const failures = [];
  for (const c of CASES) {
    const r = await runCase(c);
    tally.cases++;
    const name = r.got.ok ? 'ok' : r.got.name;
    const problems = [];
    if (c.expect === 'same') {
      if (name !== (r.baseline.ok ? 'ok' : r.baseline.name)) problems.push(`extension ${name}, Chromium ${r.baseline.ok ? 'ok' : r.baseline.name}`);
    } else if (name !== c.expect) {
      problems.push(`expected ${c.expect}, got ${name} (${r.got.message ?? ''})`);
    }
    if (c.compare !== false && c.expect !== 'same') {
      tally.compared++;
      const bn = r.baseline.ok ? 'ok' : r.baseline.name;
      if (bn !== name) problems.push(`Chromium alone: ${bn}`);
    } else if (c.expect === 'same') tally.compared++;
    if (!r.got.ok && /SoftKey/.test(r.got.message ?? '')) problems.push(`an answer of ours: ${r.got.message}`);
    if (!c.signs && !r.vaultUnchanged) problems.push('the vault changed (a key was added or signed)');
    if (c.signs && r.vaultUnchanged) problems.push('expected our key to sign');
    if (r.prompts !== 0) problems.push(`${r.prompts} prompt window(s) opened`);
    t.diagnostic(`${problems.length ? 'FAIL' : 'ok  '} ${c.id}: extension ${name}${r.baseline ? `, Chromium ${r.baseline.ok ? 'ok' : r.baseline.name}` : ''}`);
    if (problems.length) failures.push(`${c.id}: ${problems.join('; ')}`);
  }
  assert.deepEqual(failures, []);
});

/** Starts a call in a page without waiting for it; returns the pending result. */
function start(target, spec) {
  return target.evaluate(pageCall, { ours, ...spec });
}

test('defect 7: while locked, another site\'s RP ID is the browser\'s SecurityError, with no unlock window', async () => {
  await ext.ui('vault.lock');
  try {
    const cases = [
      ['get', getPk({ rpId: 'google.com' }), 'SecurityError'],
      ['create', createPk({ rp: { id: 'google.com', name: 'Google' } }), 'SecurityError'],
      ['get', getPk({ extensions: { appid: 'https://evil.test/app.json' } }), 'SecurityError'],
      ['get', getPk({ allowCredentials: [{ type: 'public-key', id: '$bytes:64' }] }), 'NotAllowedError'],
      ['create', createPk({ pubKeyCredParams: [{ type: 'public-key', alg: -257 }] }), 'same'],
    ];
    for (const [op, pk, expected] of cases) {
      const r = await runCase({ op, pk, host: op === 'create' ? CONSOLE : SIGNIN });
      tally.cases++;
      tally.compared++;
      const name = r.got.ok ? 'ok' : r.got.name;
      const bn = r.baseline.ok ? 'ok' : r.baseline.name;
      assert.equal(name, bn, `${op} ${JSON.stringify(pk).slice(0, 80)}: extension ${name}, Chromium ${bn}`);
      if (expected !== 'same') assert.equal(name, expected);
      assert.equal(r.prompts, 0, 'no unlock window for a request that cannot be ours');
    }
    assert.equal((await ext.ui('vault.status')).state, 'locked');

    // A request naming our key does ask, and the window names the calling host, not the page's RP ID.
    const { page, target } = await open(ext.context, SIGNIN, BLANK);
    const from = ext.prompts.count();
    const pending = start(target, { op: 'get', pk: getPk() });
    const win = await ext.prompts.next('unlock', from);
    await win.locator('#site', { hasText: SIGNIN }).waitFor();
    assert.equal(await win.locator('#site').innerText(), SIGNIN);
    await answerPrompt(win, 'Cancel');
    assert.equal((await pending).name, 'NotAllowedError');
    tally.cases++;
    await page.close();
  } finally {
    await ext.ui('vault.unlock', { password: PASSWORD });
    lastUserAction = Date.now();
  }
});

test('defect 6: eight create() at once open one consent window; six get() while locked, one unlock window', async () => {
  const { page, target } = await open(ext.context, CONSOLE, BLANK);
  let from = ext.prompts.count();
  const calls = target.evaluate(async ({ pk, fn }) => {
    const call = new Function(`return (${fn})`)();
    return Promise.all(Array.from({ length: 8 }, () => call({ op: 'create', pk })));
  }, { pk: createPk(), fn: pageCall.toString() });
  const win = await ext.prompts.next('consent', from);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(ext.prompts.count() - from, 1, 'one consent window for eight calls');
  await answerPrompt(win, 'Cancel');
  const results = await calls;
  assert.deepEqual(results.map((r) => r.name), Array(8).fill('NotAllowedError'));
  tally.cases++;

  await ext.ui('vault.lock');
  try {
    from = ext.prompts.count();
    const gets = target.evaluate(async ({ pk, fn, ours: id }) => {
      const call = new Function(`return (${fn})`)();
      return Promise.all(Array.from({ length: 6 }, () => call({ op: 'get', pk, ours: id })));
    }, { pk: getPk(), fn: pageCall.toString(), ours });
    const unlock = await ext.prompts.next('unlock', from);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(ext.prompts.count() - from, 1, 'one unlock window for six calls');
    await answerPrompt(unlock, 'Cancel');
    assert.deepEqual((await gets).map((r) => r.name), Array(6).fill('NotAllowedError'));
    tally.cases++;
  } finally {
    await ext.ui('vault.unlock', { password: PASSWORD });
    lastUserAction = Date.now();
  }
  await page.close();
});

test('defect 5: Enter pressed as the consent window appears registers nothing; no default focus on Register', async () => {
  const before = await vaultSnapshot();
  const { page, target } = await open(ext.context, CONSOLE, BLANK);
  const from = ext.prompts.count();
  const pending = start(target, { op: 'create', pk: createPk() });
  const win = await ext.prompts.next('consent', from);
  await win.locator('#create:not([hidden])').waitFor();
  // As fast as a keyjacking page can make it: Enter and a click on Register at once.
  await win.keyboard.press('Enter');
  await win.locator('#create [type=submit]').click({ force: true, timeout: 1000 }).catch(() => {});
  await win.keyboard.press('Enter');
  assert.equal(await win.evaluate(() => document.activeElement === document.body || document.activeElement === null), true,
    'nothing focused in a registration prompt');
  await new Promise((r) => setTimeout(r, 900));
  // Enter alone still does nothing (no focus on Register); the window is still waiting.
  await win.keyboard.press('Enter');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(win.isClosed(), false, 'the consent window is still open');
  assert.equal(await vaultSnapshot(), before, 'nothing registered');
  await answerPrompt(win, 'Cancel');
  assert.equal((await pending).name, 'NotAllowedError');
  tally.cases++;
  await page.close();
});

test('defect 9: a create() whose exclude list names our key answers InvalidStateError only after a prompt', async () => {
  const { page, target } = await open(ext.context, CONSOLE, BLANK);
  const from = ext.prompts.count();
  const started = Date.now();
  const pk = createPk({ user: { id: '$bytes:16', name: 'alice', displayName: 'alice' }, excludeCredentials: [{ type: 'public-key', id: '$ours' }] });
  const pending = start(target, { op: 'create', pk });
  const win = await ext.prompts.next('consent', from);
  await win.locator('#excluded:not([hidden])').waitFor();
  const raced = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still waiting'), 1000))]);
  assert.equal(raced, 'still waiting', 'no answer before the user saw the prompt');
  await answerPrompt(win, /^OK/);
  const r = await pending;
  assert.equal(r.name, 'InvalidStateError');
  assert.ok(Date.now() - started > 1000);
  // Chromium alone, with a virtual authenticator that holds the excluded credential.
  const theirsResult = await base.theirsPage.evaluate(pageCall, { op: 'create', pk, ours: theirs });
  assert.equal(theirsResult.name, 'InvalidStateError');
  tally.cases++;
  tally.compared++;
  await page.close();
});

test('defect 2: a cross-site frame, a background tab and a page calling get() in a loop are asked, not signed silently', async () => {
  const cancelNext = async (from) => {
    const win = await ext.prompts.next('consent', from);
    await win.locator('#get:not([hidden])').waitFor();
    const origin = await win.locator('#origin').innerText();
    await answerPrompt(win, 'Cancel');
    return origin;
  };
  // A foreign site embedding the AWS page, with the permissions policy granted.
  let before = await vaultSnapshot();
  let { page, target } = await open(ext.context, 'www.example.test', `/hostile/embed?src=${encodeURIComponent(url(SIGNIN, BLANK))}`, { frame: 'child' });
  let from = ext.prompts.count();
  let pending = start(target, { op: 'get', pk: getPk() });
  assert.match(await cancelNext(from), /signin\.aws\.amazon\.com, inside a page of www\.example\.test/);
  assert.equal((await pending).name, 'NotAllowedError');
  assert.equal(await vaultSnapshot(), before);
  tally.cases++;
  await page.close();

  // A background tab (created inactive, beside the active one).
  before = await vaultSnapshot();
  await ext.control.evaluate((u) => chrome.tabs.create({ url: u, active: false }), url(SIGNIN, `${BLANK}?bg=1`));
  for (let i = 0; !(page = ext.context.pages().find((p) => p.url().includes('bg=1'))); i++) {
    assert.ok(i < 200, 'the background tab came up');
    await new Promise((r) => setTimeout(r, 50));
  }
  await page.waitForLoadState();
  from = ext.prompts.count();
  pending = start(page, { op: 'get', pk: getPk() });
  await cancelNext(from);
  assert.equal((await pending).name, 'NotAllowedError');
  assert.equal(await vaultSnapshot(), before);
  tally.cases++;
  await page.close();

  // A loop in the active tab: silent up to the per-tab budget, then asked.
  ({ page, target } = await open(ext.context, SIGNIN, BLANK, { own: true }));
  let silent = 0;
  for (;;) {
    from = ext.prompts.count();
    pending = start(target, { op: 'get', pk: getPk() });
    const outcome = await Promise.race([pending, ext.prompts.next('consent', from, 5000).then(() => 'prompt', () => 'none')]);
    if (outcome === 'prompt') break;
    assert.ok(outcome.ok, JSON.stringify(outcome));
    silent++;
    assert.ok(silent <= 20, 'a loop of get() is never asked');
  }
  await cancelNext(from);
  assert.equal((await pending).name, 'NotAllowedError');
  assert.equal(silent, 12, 'twelve silent signatures a minute per tab');
  tally.cases++;
  await page.close();
});

test('defect 3: a tab flooding get() is refused beyond its cap and never evicts another tab\'s pending consent', async () => {
  // Tab B: a registration waiting in its consent window.
  const b = await open(ext.context, CONSOLE, BLANK, { own: true });
  const from = ext.prompts.count();
  const registration = start(b.target, { op: 'create', pk: createPk({ user: { id: '$bytes:16', name: 'bob', displayName: 'bob' }, timeout: 120000 }), timeout: 120000 });
  const win = await ext.prompts.next('consent', from);
  // Tab A: 40 get() at once.
  const a = await open(ext.context, SIGNIN, BLANK, { own: true });
  const flood = await a.target.evaluate(async ({ pk, fn, ours: id }) => {
    const call = new Function(`return (${fn})`)();
    return Promise.all(Array.from({ length: 40 }, () => call({ op: 'get', pk, ours: id, timeout: 30000 })));
  }, { pk: getPk({ timeout: 10000 }), fn: pageCall.toString(), ours });
  const names = flood.map((r) => (r.ok ? 'ok' : r.name));
  assert.equal(names.filter((n) => n === 'NotAllowedError').length + names.filter((n) => n === 'ok').length, 40, names.join());
  assert.ok(names.filter((n) => n === 'NotAllowedError').length >= 24, `at most 16 in flight per tab: ${names.join()}`);
  assert.equal(names.filter((n) => /Unknown/.test(n)).length, 0);
  // Tab B's consent survived the flood: approving it registers.
  await answerPrompt(win, /^Register/);
  const made = await registration;
  assert.ok(made.ok, JSON.stringify(made));
  tally.cases++;
  await a.page.close();
  await b.page.close();
});

test('defect 10: a page signing again and again does not restart the auto-lock timer', async () => {
  // Only a user action restarts the timer, at most every 30 s (and every UI API call of these
  // tests counts as one): wait that long first.
  await new Promise((r) => setTimeout(r, 31_000));
  const worker = await extensionWorker(ext.context);
  const before = await worker.evaluate(async () => (await chrome.alarms.get('softkey-autolock'))?.scheduledTime ?? null);
  assert.ok(before, 'the auto-lock alarm is set while unlocked');
  const { page, target } = await open(ext.context, SIGNIN, BLANK, { own: true });
  for (let i = 0; i < 3; i++) assert.ok((await start(target, { op: 'get', pk: getPk() })).ok);
  const after = await worker.evaluate(async () => (await chrome.alarms.get('softkey-autolock'))?.scheduledTime ?? null);
  assert.equal(after, before, 'page activity left the auto-lock time where the user left it');
  // A user action (the popup's UI API) does restart it.
  await ext.ui('vault.status');
  const touched = await worker.evaluate(async () => (await chrome.alarms.get('softkey-autolock'))?.scheduledTime ?? null);
  assert.ok(touched > before, 'a user action restarts the timer');
  lastUserAction = Date.now();
  tally.cases++;
  await page.close();
});

test('defect 11: the sealed vault is out of content scripts\' reach, and an old chrome.storage.local vault migrates intact', async () => {
  // Let the lazy "last used" write of the sign-ins before settle first.
  await new Promise((r) => setTimeout(r, 2500));
  const local = await ext.control.evaluate(() => chrome.storage.local.get(null));
  assert.equal('vault' in local, false, 'no envelope in chrome.storage.local (content scripts can read it)');
  assert.equal('vaultIndex' in local, false);
  const stored = await readStoredVault(ext.control);
  assert.ok(stored.vault && stored.vaultIndex, 'the envelope and index are in the extension origin\'s IndexedDB');
  const keysBefore = (await ext.ui('keys.list')).map((k) => [k.id, k.signCount]);

  // An older version's layout: both records in chrome.storage.local, no database.
  await ext.control.evaluate(async ({ vault, vaultIndex }) => {
    await chrome.storage.local.set({ vault, vaultIndex });
    await new Promise((resolve, reject) => {
      const del = indexedDB.deleteDatabase('softkey');
      del.onsuccess = resolve;
      del.onerror = () => reject(del.error);
    });
  }, stored);
  await stopAllServiceWorkers(ext.context);
  assert.notEqual((await ext.ui('vault.status')).state, 'none', 'the migrated vault is found');
  const migrated = await readStoredVault(ext.control);
  assert.equal(migrated.vault, stored.vault, 'the envelope moved byte for byte');
  assert.deepEqual(migrated.vaultIndex, stored.vaultIndex);
  const after = await ext.control.evaluate(() => chrome.storage.local.get(['vault', 'vaultIndex']));
  assert.deepEqual(after, {}, 'the old copy is gone once the new one is stored');
  await ext.ui('vault.lock');
  await ext.ui('vault.unlock', { password: PASSWORD });
  lastUserAction = Date.now();
  // The same keys; a counter resumes at or above where it was (from its reserved ceiling).
  const keysAfter = (await ext.ui('keys.list')).map((k) => [k.id, k.signCount]);
  assert.deepEqual(keysAfter.map(([id]) => id), keysBefore.map(([id]) => id));
  keysAfter.forEach(([, count], i) => assert.ok(count >= keysBefore[i][1], 'no counter went back'));
  tally.cases++;
});

test('load: 200 concurrent assertions from 20 tabs, all verified by the relying party, counters strictly increasing', async () => {
  const pages = await pagesInOwnWindows(ext.context, ext.control, 20, (i) => url(SIGNIN, `/?auto=0&load=${i}`));
  const started = Date.now();
  const perTab = await Promise.all(pages.map((p) => p.evaluate(async () => {
    const W = window.FixtureWebAuthn;
    return Promise.all(Array.from({ length: 10 }, async () => {
      const o = await W.postJSON('/api/signin/options', { user: 'alice' });
      try {
        const cred = await navigator.credentials.get({ publicKey: W.decodeRequest(o.publicKey) });
        return { ok: true, credential: W.encodeCredential(cred) };
      } catch (e) {
        return { ok: false, name: e.name, message: e.message };
      }
    }));
  })));
  const elapsed = Date.now() - started;
  const all = perTab.flatMap((results, tab) => results.map((r) => ({ ...r, tab })));
  const failed = all.filter((r) => !r.ok);
  assert.deepEqual(failed, [], 'every one of the 200 was signed');
  const counters = all.map((r) => counterOf(r.credential));
  assert.equal(new Set(counters).size, 200, 'no counter repeats');
  // The relying party keeps the highest counter it saw: verify in counter order, each must grow.
  const order = all.map((r, i) => [counterOf(r.credential), i]).sort((x, y) => x[0] - y[0]);
  let last = -1;
  for (const [counter, i] of order) {
    const verdict = await pages[all[i].tab].evaluate((credential) => window.FixtureWebAuthn.postJSON('/api/signin/verify', { credential }), all[i].credential);
    assert.ok(verdict.ok, `counter ${counter}: ${verdict.error}`);
    assert.ok(verdict.newSignCount > last, `counter ${verdict.newSignCount} after ${last}`);
    last = verdict.newSignCount;
  }
  console.log(`# load: 200 concurrent assertions from 20 tabs in ${elapsed} ms, all verified`);
  await Promise.all(pages.map((p) => p.close()));
});

test('tally: at least 60 hostile cases ran', () => {
  console.log(`# hostile cases: ${tally.cases}, compared with Chromium alone: ${tally.compared}`);
  assert.ok(tally.cases >= 60, `${tally.cases} cases`);
});
