#!/usr/bin/env node
// Where a warm navigator.credentials.get goes: the worker's `softkey:*` marks (the ones
// cold-start.mjs reads, re-armed before each call through globalThis.softkeyTrace) put on the
// page's clock, call by call, beside Chromium's virtual authenticator and the empty extension's
// warm round trip (the messaging floor), asked in alternation. The worker's clock ticks in
// 0.1 ms steps.
// A benchmark: it prints medians, it asserts nothing.
//
//   node tests/bench/warm-trace.mjs [--calls N]
import { startFixtureServer } from '../e2e/lib/fixture-server.mjs';
import {
  DEFAULT_DIST, launchBrowser, extensionWorker, extensionIdOf, addVirtualAuthenticator, url,
} from '../e2e/lib/browser.mjs';
import { median, register, signInPage, timeGet } from './signin-timing.mjs';
import { pageInOwnWindow } from '../e2e/lib/windows.mjs';
import { FLOOR_HOST, buildFloorExtension } from './floor-extension.mjs';

const i = process.argv.indexOf('--calls');
const CALLS = i > 0 ? Number(process.argv[i + 1]) : 40;
const PER_PAGE = 10; // 12 silent signatures a minute per tab: rotate over windows

const timedGet = (page) => page.evaluate(async () => {
  const publicKey = window.FixtureWebAuthn.decodeRequest(window.__benchOptions);
  const t0 = performance.now();
  await navigator.credentials.get({ publicKey });
  const t1 = performance.now();
  return { start: performance.timeOrigin + t0, end: performance.timeOrigin + t1 };
});

const SEGMENTS = [
  ['page → engine (page.js, bridge, port, router)', 'start', 'get'],
  ['precheck + state (vault-free checks, JSON in/out)', 'get', 'prepare'],
  ['prepareGet (JSON in/out)', 'prepare', 'prepared'],
  ['settings, foreground, budget', 'prepared', 'finish-start'],
  ['finishGet (sign; seal only past the ceiling)', 'finish-start', 'finished'],
  ['store if sealed, back to the engine', 'finished', 'signed'],
  ['engine → page (router, port, bridge, page.js)', 'signed', 'end'],
];

const server = await startFixtureServer();
const rows = Object.fromEntries(SEGMENTS.map(([n]) => [n, []]));
const totals = { ours: [], virtual: [], worker: [], floor: [] };
const floorExt = buildFloorExtension();
try {
  const plain = await launchBrowser({ server });
  const ext = await launchBrowser({ server, dist: [DEFAULT_DIST, floorExt.dir] });
  try {
    const virtualPage = await plain.context.newPage();
    await addVirtualAuthenticator(virtualPage);
    await register(plain.context, virtualPage, 'virtual', null);
    const virtualSignin = await signInPage(plain.context, 'virtual', virtualPage);

    const worker = await extensionWorker(ext.context);
    const id = extensionIdOf(worker);
    const control = await ext.context.newPage();
    await control.goto(`chrome-extension://${id}/extension/ui/popup.html`);
    await control.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.create', password: 'bench password 1' }));
    await register(ext.context, await ext.context.newPage(), 'softkey', /^Register/);
    const pages = [];
    for (let k = 0; k < Math.ceil((CALLS + 5) / PER_PAGE); k++) {
      const p = await pageInOwnWindow(ext.context, control, url('signin.aws.amazon.com', `/?auto=0&trace=${k}`));
      pages.push(await signInPage(ext.context, 'softkey', p));
    }
    const floorPage = await ext.context.newPage();
    await floorPage.goto(url(FLOOR_HOST, '/'));
    const floorGet = () => floorPage.evaluate(async () => {
      const t0 = performance.now();
      await navigator.credentials.get({ publicKey: {} });
      return performance.now() - t0;
    });
    let made = 0;
    const next = () => pages[Math.floor(made++ / PER_PAGE)];
    for (let k = 0; k < 5; k++) {
      await timeGet(virtualSignin);
      await timeGet(next());
    }
    const live = () => ext.context.serviceWorkers().filter((w) => w.url().includes('/service-worker.js')).at(-1);
    for (let k = 0; k < CALLS; k++) {
      const v = await timeGet(virtualSignin);
      totals.floor.push(await floorGet());
      const w = live();
      await w.evaluate(() => globalThis.softkeyTrace.rearm());
      const t = await timedGet(next());
      const r = await w.evaluate(() => ({
        origin: performance.timeOrigin,
        marks: performance.getEntriesByType('mark').map((m) => [m.name.replace(/^softkey:/, ''), m.startTime]),
      }));
      const at = { start: t.start, end: t.end };
      for (const [name, ms] of r.marks) at[name] ??= r.origin + ms;
      totals.virtual.push(v);
      totals.ours.push(t.end - t.start);
      if (at.get !== undefined && at.signed !== undefined) totals.worker.push(at.signed - at.get);
      for (const [name, a, b] of SEGMENTS) {
        if (at[a] !== undefined && at[b] !== undefined) rows[name].push(at[b] - at[a]);
      }
    }
  } finally {
    await ext.close();
    await plain.close();
  }
} finally {
  await server.stop();
  floorExt.remove();
}

console.log(`\nwarm navigator.credentials.get, ${CALLS} calls by turns with the virtual authenticator (medians, ms)\n`);
for (const [name] of SEGMENTS) console.log(`  ${name.padEnd(52)} ${median(rows[name]).toFixed(3).padStart(7)}`);
console.log(`  ${'in the worker (get → signed)'.padEnd(52)} ${median(totals.worker).toFixed(3).padStart(7)}`);
console.log(`  ${'SoftKey, whole call'.padEnd(52)} ${median(totals.ours).toFixed(3).padStart(7)}`);
console.log(`  ${'empty extension (the floor), whole call'.padEnd(52)} ${median(totals.floor).toFixed(3).padStart(7)}`);
console.log(`  ${'virtual authenticator, whole call'.padEnd(52)} ${median(totals.virtual).toFixed(3).padStart(7)}`);
const ratios = totals.ours.map((o, k) => o / totals.virtual[k]).filter(Number.isFinite);
console.log(`\n  SoftKey ÷ virtual authenticator, median per call: ${median(ratios).toFixed(2)}x`);
