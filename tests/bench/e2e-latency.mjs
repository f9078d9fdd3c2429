#!/usr/bin/env node
// End-to-end latency of navigator.credentials.get on the fixture AWS sign-in page, answered by
// the extension (dist/) and, in the same run, by Chromium's own virtual authenticator (DevTools
// protocol) in a browser without the extension. Warm: median and p90 of repeated calls. Cold:
// the extension's service worker stopped before each call.
//
//   node tests/bench/e2e-latency.mjs [--warm N] [--cold N]
import { startFixtureServer } from '../e2e/lib/fixture-server.mjs';
import {
  DEFAULT_DIST, launchBrowser, extensionWorker, extensionIdOf, url, waitForResult,
  addVirtualAuthenticator, stopAllServiceWorkers,
} from '../e2e/lib/browser.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const WARM = arg('--warm', 60);
const COLD = arg('--cold', 8);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Loads the sign-in page for `user` and fetches the server's request options once. */
async function signInPage(context, user) {
  const page = await context.newPage();
  await page.goto(url('signin.aws.amazon.com', '/'));
  await page.evaluate(async (u) => {
    const o = await window.FixtureWebAuthn.postJSON('/api/signin/options', { user: u });
    window.__benchOptions = o.publicKey;
  }, user);
  return page;
}

/** Times one get() in the page (performance.now around the call), in ms. */
const timeGet = (page) => page.evaluate(async () => {
  const publicKey = window.FixtureWebAuthn.decodeRequest(window.__benchOptions);
  const t0 = performance.now();
  await navigator.credentials.get({ publicKey });
  return performance.now() - t0;
});

async function warmRuns(page) {
  for (let i = 0; i < 5; i++) await timeGet(page);
  const times = [];
  for (let i = 0; i < WARM; i++) times.push(await timeGet(page));
  return times;
}

async function register(context, page, user, consentButton) {
  const consent = consentButton
    ? context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 })
    : null;
  await page.goto(url('console.aws.amazon.com', `/iam/home?user=${user}#/security_credentials`));
  await page.click('#next');
  if (consent) {
    const win = await consent;
    await win.waitForLoadState();
    // The prompt closes itself once answered, sometimes before the click has settled.
    await win.getByRole('button', { name: consentButton }).click().catch((e) => {
      if (!/closed/.test(e.message)) throw e;
    });
  }
  const r = await waitForResult(page);
  if (r.status !== 'ok') throw new Error(`registration failed: ${r.text}`);
}

const server = await startFixtureServer();
const rows = [];
try {
  // Baseline: Chromium's virtual authenticator, no extension.
  {
    const browser = await launchBrowser({ server });
    try {
      const page = await browser.context.newPage();
      await addVirtualAuthenticator(page);
      await register(browser.context, page, 'virtual', null);
      await page.goto(url('signin.aws.amazon.com', '/'));
      await page.evaluate(async () => {
        const o = await window.FixtureWebAuthn.postJSON('/api/signin/options', { user: 'virtual' });
        window.__benchOptions = o.publicKey;
      });
      const t = await warmRuns(page);
      rows.push({ name: 'virtual authenticator (Chromium, DevTools)', median: quantile(t, 0.5), p90: quantile(t, 0.9) });
    } finally {
      await browser.close();
    }
  }
  // The extension.
  {
    const browser = await launchBrowser({ server, dist: DEFAULT_DIST });
    try {
      const id = extensionIdOf(await extensionWorker(browser.context));
      const control = await browser.context.newPage();
      await control.goto(`chrome-extension://${id}/extension/ui/popup.html`);
      await control.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.create', password: 'bench password 1' }));
      const page = await browser.context.newPage();
      await register(browser.context, page, 'softkey', /^Register/);
      const signin = await signInPage(browser.context, 'softkey');
      const warm = await warmRuns(signin);
      rows.push({ name: 'SoftKey extension, warm', median: quantile(warm, 0.5), p90: quantile(warm, 0.9) });
      const cold = [];
      for (let i = 0; i < COLD; i++) {
        await stopAllServiceWorkers(browser.context);
        cold.push(await timeGet(signin));
      }
      rows.push({ name: 'SoftKey extension, cold (worker stopped)', median: quantile(cold, 0.5), p90: quantile(cold, 0.9) });
    } finally {
      await browser.close();
    }
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
