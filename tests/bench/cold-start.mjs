#!/usr/bin/env node
// Cold start: the sign-in a person actually feels. By the time someone signs in to AWS, Chrome
// has long stopped the extension's service worker, so the first navigator.credentials.get pays
// for starting it, loading the wasm core and opening the vault.
//
// One Chromium holds two extensions, asked in alternation (A, B, A, B ...) with every service
// worker stopped before each call:
//   - the floor: an empty extension generated here, with the same path and nothing else: a
//     MAIN-world script wrapping CredentialsContainer.prototype.get, an isolated content script
//     relaying on a private MessageChannel and a runtime port, a module service worker that
//     answers at once;
//   - ours: dist/, a get() on the fixture AWS sign-in page with the vault unlocked as a person
//     leaves it (the worker resumes from the session key in chrome.storage.session).
// For ours it prints where the time goes, from the worker's `softkey:*` User Timing marks
// (extension/background/cold-trace.js) read over the DevTools protocol; both timelines are put
// on one clock through performance.timeOrigin. Then, warm, the extension against Chromium's
// virtual authenticator called by turns (the method of e2e-latency.mjs), and the size of
// softkey_bg.wasm gzipped. A benchmark: it prints, it asserts nothing.
//
// With --versus it also prints, per round, the other build's time inside its worker (from the
// worker's start to the signed answer) ÷ dist/'s: the browser's own start of the worker, the
// noisiest part on a loaded machine, left out. Each browser has a bias of its own, so compare two
// builds by two runs with the roles swapped (the geometric mean of the two ratios cancels it).
//
// Caveat: Playwright attaches to every new service worker and holds it until it has said
// "run", which adds the same small delay to both extensions' worker start.
//
//   node tests/bench/cold-start.mjs [--rounds N] [--warm N] [--versus OTHER_DIST]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startFixtureServer } from '../e2e/lib/fixture-server.mjs';
import {
  DEFAULT_DIST, launchBrowser, addVirtualAuthenticator, stopAllServiceWorkers, url,
} from '../e2e/lib/browser.mjs';
import { median, quantile, register, signInPage, timeGet } from './signin-timing.mjs';
import { pageInOwnWindow } from '../e2e/lib/windows.mjs';
import { FLOOR_HOST, buildFloorExtension } from './floor-extension.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 15);
// Another build of the extension (a directory like dist/), asked in the same rounds in a browser
// of its own: for trying a change to the cold path against what dist/ does.
const VERSUS = process.argv.includes('--versus') ? process.argv[process.argv.indexOf('--versus') + 1] : null;
const WARM = arg('--warm', 40);
const TARGET_COLD = 1.3;
const TARGET_WARM = 1.6;
const TARGET_GZIP = 200 * 1024;

/** One get() in `page`, on the page's clock made absolute (timeOrigin + now), in ms. */
const timedGet = (page) => page.evaluate(async () => {
  const options = window.__benchOptions
    ? { publicKey: window.FixtureWebAuthn.decodeRequest(window.__benchOptions) }
    : { publicKey: {} };
  const t0 = performance.now();
  await navigator.credentials.get(options);
  const t1 = performance.now();
  return { start: performance.timeOrigin + t0, end: performance.timeOrigin + t1 };
});

/** The running worker whose script URL contains `part`, per Playwright (refreshed each call). */
function workerOf(context, part) {
  const all = context.serviceWorkers().filter((w) => w.url().includes(part));
  return all.at(-1) ?? null;
}

/** The worker's marks as absolute times {name: ms}, plus its start (timeOrigin). */
async function workerMarks(context, part, prefix) {
  const worker = workerOf(context, part);
  if (!worker) return null;
  const read = worker.evaluate((p) => ({
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith(p)).map((m) => [m.name, m.startTime]),
  }), prefix);
  const r = await Promise.race([read, new Promise((resolve) => setTimeout(() => resolve(null), 5000))]);
  if (!r) return null;
  const at = { start: r.origin };
  for (const [name, t] of r.marks) at[name.slice(prefix.length)] ??= r.origin + t;
  return at;
}

/** The cold path of ours, cut at the marks (ms); null where a mark is missing. */
function breakdown(page, w) {
  const d = (a, b) => (a === undefined || b === undefined ? null : b - a);
  // The vault opens once both the wasm and the storage reads are in.
  const ready = w['storage-done'] === undefined || w['wasm-ready'] === undefined
    ? undefined : Math.max(w['storage-done'], w['wasm-ready']);
  return {
    '* page → worker started (messages in, worker thread)': d(page.start, w.start),
    '* worker modules loaded and evaluated': d(w.start, w.evaluated),
    '  script fetch and compile (to its first module)': d(w.start, w.script),
    '  the modules\' top-level code before the worker\'s own': d(w.script, w.evaluated),
    '* evaluated → the request reaches the engine': d(w.evaluated, w.get),
    '  top-level code (listeners, engines)': d(w.evaluated, w.listening),
    '  wasm fetch, compile, instantiate (from constructor)': d(w['wasm-start'], w['wasm-ready']),
    '  storage reads (vault, session key; beside the wasm)': d(w['storage-start'], w['storage-done']),
    '  vault open (resume with the session key)': d(ready, w.opened),
    '  the request waits for the open vault (< 0: no wait)': d(w.get, w.opened),
    '* request → prepare': d(w.get, w.prepare),
    '* prepareGet': d(w.prepare, w.prepared),
    '* prepared → finishGet (settings)': d(w.prepared, w['finish-start']),
    '* finishGet (sign, new counter ceiling, seal)': d(w['finish-start'], w.finished),
    '  counter reservation written (from the open vault)': d(w.opened, w.reserved),
    '* counter ceiling stored (or its reservation awaited)': d(w.finished, w.signed),
    '* answer → page (router check, messages out)': d(w.signed, page.end),
  };
}

const SW_PATH = '/extension/background/service-worker.js';

// SoftKey signs silently only for the active tab of a window, at most 12 times a minute per tab
// (issue 9), so ours rotates over sign-in pages, each alone in a window, ten calls each.
const PER_PAGE = 10;

/** Readies the extension in `context` as a person has it: a vault, a key registered on the IAM
 * page, the vault unlocked, no extension page open. Returns {next()}: the sign-in page to ask. */
async function setUpOurs(context, calls) {
  const ours = workerOf(context, SW_PATH) ?? await context.waitForEvent('serviceworker', {
    predicate: (w) => w.url().endsWith(SW_PATH), timeout: 15000,
  });
  const id = new URL(ours.url()).host;
  const control = await context.newPage();
  await control.goto(`chrome-extension://${id}/extension/ui/popup.html`);
  await control.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.create', password: 'bench password 1' }));
  await register(context, await context.newPage(), 'softkey', /^Register/);
  const pages = [];
  for (let i = 0; i < Math.ceil(calls / PER_PAGE); i++) {
    const p = await pageInOwnWindow(context, control, url('signin.aws.amazon.com', `/?auto=0&bench=${i}`));
    pages.push(await signInPage(context, 'softkey', p));
  }
  // An open extension page would keep the extension's process alive, and only ours would then
  // skip starting one.
  await control.close();
  let made = 0;
  return { next: () => pages[Math.floor(made++ / PER_PAGE) % pages.length] };
}

/** One cold get() of ours: {ms, parts, timeline}; parts and timeline null without marks. */
async function coldGet(context, page) {
  await stopAllServiceWorkers(context);
  const a = await timedGet(page);
  const marks = await workerMarks(context, SW_PATH, 'softkey:');
  return {
    ms: a.end - a.start,
    // From the worker's start to the signed answer: what a change to the worker can move,
    // without the browser's own start of it (the noisiest part on a loaded machine).
    worker: marks?.signed !== undefined ? marks.signed - marks.start : null,
    parts: marks ? breakdown(a, marks) : null,
    timeline: marks
      ? Object.fromEntries([...Object.entries(marks), ['page answered', a.end]].map(([k, t]) => [k, t - a.start]))
      : null,
  };
}

const fmt = (x) => (x === null || x === undefined ? '     -' : x.toFixed(2).padStart(6));

const server = await startFixtureServer();
const floorExt = buildFloorExtension();
const cold = {
  ours: [], floor: [], ratios: [], parts: [], timeline: [], floorStart: [], versus: [], versusRatios: [], versusParts: [],
  worker: [], versusWorkerRatios: [],
};
const warm = { ours: [], virtual: [], ratios: [], versusRatios: [] };
try {
  const both = await launchBrowser({ server, dist: [DEFAULT_DIST, floorExt.dir] });
  const plain = await launchBrowser({ server });
  const versus = VERSUS ? await launchBrowser({ server, dist: VERSUS }) : null;
  try {
    const { context } = both;
    const calls = 3 + ROUNDS + 5 + WARM;
    const signin = await setUpOurs(context, calls);
    const versusSignin = versus ? await setUpOurs(versus.context, calls) : null;
    const floorPage = await context.newPage();
    await floorPage.goto(url(FLOOR_HOST, '/'));

    // Warm-up: both worker scripts and Chromium's caches as after a first use.
    for (let i = 0; i < 3; i++) {
      await coldGet(context, signin.next());
      await stopAllServiceWorkers(context);
      await timedGet(floorPage);
      if (versus) await coldGet(versus.context, versusSignin.next());
    }
    for (let i = 0; i < ROUNDS; i++) {
      const a = await coldGet(context, signin.next());
      await stopAllServiceWorkers(context);
      const b = await timedGet(floorPage);
      const floorMarks = await workerMarks(context, '/sw.js', 'floor:');
      const floorMs = b.end - b.start;
      cold.ours.push(a.ms);
      cold.floor.push(floorMs);
      cold.ratios.push(a.ms / floorMs);
      if (a.parts) cold.parts.push(a.parts);
      if (a.timeline) cold.timeline.push(a.timeline);
      if (a.worker !== null) cold.worker.push(a.worker);
      if (floorMarks) cold.floorStart.push(floorMarks.start - b.start);
      if (versus) {
        const v = await coldGet(versus.context, versusSignin.next());
        cold.versus.push(v.ms);
        cold.versusRatios.push(v.ms / a.ms);
        if (v.parts) cold.versusParts.push(v.parts);
        if (v.worker !== null && a.worker !== null) cold.versusWorkerRatios.push(v.worker / a.worker);
      }
    }

    // Warm: the extension and Chromium's virtual authenticator, call by call.
    const virtualPage = await plain.context.newPage();
    await addVirtualAuthenticator(virtualPage);
    await register(plain.context, virtualPage, 'virtual', null);
    const virtualSignin = await signInPage(plain.context, 'virtual', virtualPage);
    for (let i = 0; i < 5; i++) {
      await timeGet(virtualSignin);
      await timeGet(signin.next());
      if (versus) await timeGet(versusSignin.next());
    }
    for (let i = 0; i < WARM; i++) {
      const v = await timeGet(virtualSignin);
      const e = await timeGet(signin.next());
      warm.virtual.push(v);
      warm.ours.push(e);
      if (v > 0) warm.ratios.push(e / v);
      if (versus) warm.versusRatios.push((await timeGet(versusSignin.next())) / e);
    }
  } finally {
    await versus?.close();
    await plain.close();
    await both.close();
  }
} finally {
  await server.stop();
  floorExt.remove();
}

const wasm = readFileSync(path.join(DEFAULT_DIST, 'wasm', 'softkey_bg.wasm'));
const gz = gzipSync(wasm, { level: 9 }).length;
const coldRatio = median(cold.ratios);
const warmRatio = median(warm.ratios);

console.log(`\nnavigator.credentials.get, cold (every service worker stopped first), ${ROUNDS} alternating rounds\n`);
console.log(`${'case'.padEnd(52)}  ${'median ms'.padStart(9)}  ${'p90 ms'.padStart(8)}`);
console.log(`${'-'.repeat(52)}  ${'-'.repeat(9)}  ${'-'.repeat(8)}`);
console.log(`${'empty extension (the floor)'.padEnd(52)}  ${median(cold.floor).toFixed(2).padStart(9)}  ${quantile(cold.floor, 0.9).toFixed(2).padStart(8)}`);
console.log(`${'SoftKey, vault unlocked (session key)'.padEnd(52)}  ${median(cold.ours).toFixed(2).padStart(9)}  ${quantile(cold.ours, 0.9).toFixed(2).padStart(8)}`);
if (cold.floorStart.length) {
  console.log(`${'  floor: page → worker started'.padEnd(52)}  ${median(cold.floorStart).toFixed(2).padStart(9)}`);
}
const partMedian = (parts, name) => {
  const xs = parts.map((p) => p[name]).filter((x) => x !== null);
  return xs.length ? median(xs) : null;
};
if (cold.parts.length) {
  console.log(`\nwhere SoftKey's cold get goes (medians of ${cold.parts.length} rounds, ms;`);
  console.log('the * lines follow the request and add up to its time; the others run beside them)');
  for (const name of Object.keys(cold.parts[0])) {
    const other = cold.versusParts.length ? `  ${fmt(partMedian(cold.versusParts, name))} (--versus)` : '';
    console.log(`  ${name.padEnd(56)} ${fmt(partMedian(cold.parts, name))}${other}`);
  }
}
if (cold.timeline.length) {
  console.log('\nthe same as a timeline: ms from the page\'s call to each mark (medians)');
  const names = Object.keys(cold.timeline[0]);
  const at = names.map((n) => [n, median(cold.timeline.map((t) => t[n]).filter((x) => x !== undefined))]);
  for (const [n, t] of at.sort((x, y) => x[1] - y[1])) console.log(`  ${n.padEnd(20)} ${fmt(t)}`);
}
console.log(`\nwarm, ${WARM} calls by turns: SoftKey ${median(warm.ours).toFixed(2)} ms, virtual authenticator ${median(warm.virtual).toFixed(2)} ms (medians)`);
if (cold.versus.length) {
  console.log(`\n--versus ${VERSUS}: cold ${median(cold.versus).toFixed(2)} ms median; ÷ dist/ in the same rounds: ${median(cold.versusRatios).toFixed(3)}x (median per round); ` +
    `warm ÷ dist/: ${median(warm.versusRatios).toFixed(3)}x (median per call)`);
  if (cold.versusWorkerRatios.length) {
    console.log(`  in the worker (its start → the signed answer): ÷ dist/ ${median(cold.versusWorkerRatios).toFixed(3)}x (median per round; dist/ ${median(cold.worker).toFixed(2)} ms)`);
  }
}
console.log('\nratio                                                   result   target');
console.log(`  cold: SoftKey ÷ empty extension (median per round)    ${coldRatio.toFixed(2)}x   ≤ ${TARGET_COLD}x ${coldRatio <= TARGET_COLD ? '(met)' : '(not met)'}`);
console.log(`  warm: SoftKey ÷ virtual authenticator (per call)      ${warmRatio.toFixed(2)}x   ≤ ${TARGET_WARM}x ${warmRatio <= TARGET_WARM ? '(met)' : '(not met)'}`);
console.log(`  softkey_bg.wasm gzip -9: ${gz} bytes (${(gz / 1024).toFixed(0)} KB) of ${TARGET_GZIP / 1024} KB ${gz <= TARGET_GZIP ? '(met)' : '(not met)'}; ${wasm.length} bytes raw`);
