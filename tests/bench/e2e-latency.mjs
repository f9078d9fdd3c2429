#!/usr/bin/env node
// End-to-end latency of navigator.credentials.get on the fixture AWS sign-in page, answered by
// the extension (dist/) and, in the same run, by Chromium's own virtual authenticator (DevTools
// protocol) in a browser without the extension. Warm: median and p90 of repeated calls. Cold:
// the extension's service worker stopped before each call.
//
//   node tests/bench/e2e-latency.mjs [--warm N] [--cold N]
import { startFixtureServer } from '../e2e/lib/fixture-server.mjs';
import {
  DEFAULT_DIST, launchBrowser, extensionWorker, extensionIdOf, addVirtualAuthenticator, stopAllServiceWorkers,
} from '../e2e/lib/browser.mjs';
import { quantile, signInPage, timeGet, register } from './signin-timing.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const WARM = arg('--warm', 60);
const COLD = arg('--cold', 8);

const server = await startFixtureServer();
const rows = [];
let pairedRatio = null;
try {
  // Both browsers are set up first and then asked in alternation, call by call: measured one
  // after the other, a shared machine's load drifts between the two and skews the ratio.
  // Baseline: Chromium's virtual authenticator, no extension.
  const plain = await launchBrowser({ server });
  const withExtension = await launchBrowser({ server, dist: DEFAULT_DIST });
  try {
    const virtualPage = await plain.context.newPage();
    await addVirtualAuthenticator(virtualPage);
    await register(plain.context, virtualPage, 'virtual', null);
    // The same page: the virtual authenticator belongs to this page's DevTools session.
    const virtualSignin = await signInPage(plain.context, 'virtual', virtualPage);

    const id = extensionIdOf(await extensionWorker(withExtension.context));
    const control = await withExtension.context.newPage();
    await control.goto(`chrome-extension://${id}/extension/ui/popup.html`);
    await control.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.create', password: 'bench password 1' }));
    const page = await withExtension.context.newPage();
    await register(withExtension.context, page, 'softkey', /^Register/);
    const signin = await signInPage(withExtension.context, 'softkey');

    for (let i = 0; i < 5; i++) {
      await timeGet(virtualSignin);
      await timeGet(signin);
    }
    const virtual = [];
    const warm = [];
    const ratios = [];
    for (let i = 0; i < WARM; i++) {
      const v = await timeGet(virtualSignin);
      const e = await timeGet(signin);
      virtual.push(v);
      warm.push(e);
      if (v > 0) ratios.push(e / v);
    }
    rows.push({ name: 'virtual authenticator (Chromium, DevTools)', median: quantile(virtual, 0.5), p90: quantile(virtual, 0.9) });
    rows.push({ name: 'SoftKey extension, warm', median: quantile(warm, 0.5), p90: quantile(warm, 0.9) });
    pairedRatio = quantile(ratios, 0.5);

    const cold = [];
    for (let i = 0; i < COLD; i++) {
      await stopAllServiceWorkers(withExtension.context);
      cold.push(await timeGet(signin));
    }
    rows.push({ name: 'SoftKey extension, cold (worker stopped)', median: quantile(cold, 0.5), p90: quantile(cold, 0.9) });
  } finally {
    await withExtension.close();
    await plain.close();
  }
} finally {
  await server.stop();
}

const base = rows[0].median;
console.log(`\nnavigator.credentials.get end to end (warm n=${WARM}, cold n=${COLD})\n`);
console.log(`${'case'.padEnd(44)}  ${'median ms'.padStart(9)}  ${'p90 ms'.padStart(8)}  vs virtual authenticator`);
console.log(`${'-'.repeat(44)}  ${'-'.repeat(9)}  ${'-'.repeat(8)}  ${'-'.repeat(24)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(44)}  ${r.median.toFixed(2).padStart(9)}  ${r.p90.toFixed(2).padStart(8)}  ${(r.median / base).toFixed(2).padStart(23)}x`);
}
if (pairedRatio !== null) {
  console.log(`\nwarm, call by call in alternation: extension ÷ virtual authenticator = ${pairedRatio.toFixed(2)}x (median of per-call ratios)`);
}
