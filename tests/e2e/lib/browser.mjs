// Launch headless Chromium (playwright-core) against the fixture server, with
// or without the extension, plus CDP helpers.
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from './fixture-server.mjs';

export const DEFAULT_DIST = process.env.SOFTKEY_DIST || path.join(REPO_ROOT, 'dist');
export const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'artifacts');
const CHROMIUM = process.env.SOFTKEY_CHROMIUM || '/usr/bin/chromium';

/** `--host-resolver-rules` value mapping every fixture host to the server. */
export function hostResolverRules(server) {
  return server.hosts.map((h) => `MAP ${h} 127.0.0.1:${server.port}`).join(', ');
}

/**
 * Launch a persistent context (extensions need one).
 * @param {object} o
 * @param {object} o.server fixture server from startFixtureServer()
 * @param {string|string[]|null} [o.dist] unpacked extension directory (or several); null = none
 * @param {string[]} [o.extraArgs]
 */
export async function launchBrowser({ server, dist = null, extraArgs = [], headless = true } = {}) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'softkey-profile-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    `--host-resolver-rules=${hostResolverRules(server)}`,
    // Treat the fixture leaf as valid (no certificate error), which Chromium's
    // own WebAuthn requires; a plain --ignore-certificate-errors is not enough.
    `--ignore-certificate-errors-spki-list=${server.spki}`,
    ...extraArgs,
  ];
  const dists = [dist ?? []].flat();
  if (dists.length) {
    for (const d of dists) {
      if (!existsSync(path.join(d, 'manifest.json'))) throw new Error(`no extension at ${d} (run ./build.sh)`);
    }
    args.push(`--disable-extensions-except=${dists.join(',')}`, `--load-extension=${dists.join(',')}`);
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    args,
    // Playwright disables extensions by default; let ours load.
    ignoreDefaultArgs: dists.length ? ['--disable-extensions'] : [],
    viewport: { width: 1000, height: 700 },
  });
  const close = async () => {
    try { await context.close(); } finally { rmSync(profile, { recursive: true, force: true }); }
  };
  return { context, profile, close };
}

/** URL of a fixture page on a real host name (port rewritten by the resolver rule). */
export function url(host, p = '/') {
  return `https://${host}${p}`;
}

/**
 * Add a CDP virtual authenticator to `page` (its WebContents).
 * @returns {Promise<{cdp: import('playwright-core').CDPSession, authenticatorId: string,
 *   credentials: () => Promise<any[]>, remove: () => Promise<void>}>}
 */
export async function addVirtualAuthenticator(page, options = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: false,
      hasUserVerification: false,
      isUserVerified: false,
      automaticPresenceSimulation: true,
      ...options,
    },
  });
  return {
    cdp,
    authenticatorId,
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    remove: () => cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId }),
  };
}

/** The extension's service worker (waits for it to start). */
export async function extensionWorker(context, { timeout = 15000 } = {}) {
  const isExt = (w) => w.url().startsWith('chrome-extension://');
  const existing = context.serviceWorkers().find(isExt);
  if (existing) return existing;
  return context.waitForEvent('serviceworker', { predicate: isExt, timeout });
}

export function extensionIdOf(worker) {
  return new URL(worker.url()).host;
}

/**
 * Stop every service worker (cold-start tests). `ServiceWorker.stopAllWorkers`
 * on a page session does NOT reach an extension's worker here; closing the
 * worker's target through a browser CDP session does (the next event starts it
 * again under the same target id). Playwright does not notice promptly: its
 * Worker object stays in context.serviceWorkers(), and evaluate() on it hangs
 * until something restarts the worker — so restart it before evaluating.
 * @returns {Promise<number>} how many workers were stopped
 */
export async function stopAllServiceWorkers(context, { timeout = 10000 } = {}) {
  const browser = context.browser();
  if (!browser) throw new Error('no browser for this context');
  const session = await browser.newBrowserCDPSession();
  const workers = async () => (await session.send('Target.getTargets')).targetInfos
    .filter((t) => t.type === 'service_worker');
  try {
    const targets = await workers();
    for (const t of targets) await session.send('Target.closeTarget', { targetId: t.targetId });
    const deadline = Date.now() + timeout;
    while ((await workers()).length) {
      if (Date.now() > deadline) throw new Error('service workers did not stop');
      await new Promise((r) => setTimeout(r, 100));
    }
    return targets.length;
  } finally {
    await session.detach().catch(() => {});
  }
}

/** Is any service worker running (per the browser, not Playwright's cache)? */
export async function runningServiceWorkers(context) {
  const session = await context.browser().newBrowserCDPSession();
  try {
    return (await session.send('Target.getTargets')).targetInfos
      .filter((t) => t.type === 'service_worker').map((t) => t.url);
  } finally {
    await session.detach().catch(() => {});
  }
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name.replace(/[^a-z0-9_.-]+/gi, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Wait until #result leaves idle/pending; returns {status, text, detail}. */
export async function waitForResult(page, { timeout = 20000, frame = page } = {}) {
  await frame.waitForFunction(() => {
    const s = document.getElementById('result')?.dataset.status;
    return s === 'ok' || s === 'error';
  }, null, { timeout });
  return frame.evaluate(() => {
    const el = document.getElementById('result');
    return {
      status: el.dataset.status,
      text: el.textContent,
      errorName: el.dataset.errorName || null,
      detail: el.dataset.detail ? JSON.parse(el.dataset.detail) : null,
    };
  });
}

/** Open the IAM wizard and press Next. */
export async function registerOnConsole(page, host = 'console.aws.amazon.com') {
  await page.goto(url(host, '/iam/home#/security_credentials'));
  await page.click('#next');
  return waitForResult(page);
}

/** Open a sign-in page, pass the password step; the page then asks for the key. */
export async function signIn(page, host = 'signin.aws.amazon.com', p = '/') {
  await page.goto(url(host, p));
  await page.click('#signin_button');
  return waitForResult(page);
}

/** Press "Try again" on an open sign-in page (a fresh challenge). */
export async function signInAgain(page, frame = page) {
  await frame.evaluate(() => { document.getElementById('result').dataset.status = 'idle'; });
  await frame.click('#retry');
  return waitForResult(page, { frame });
}

/**
 * The content-script worlds of the extension named `extensionName` in `page`'s main frame, as
 * the DevTools protocol lists them (Runtime.enable reports every live context). Each world's
 * `evaluate(expression)` runs there and returns the value. `close()` ends the CDP session.
 */
export async function contentScriptWorlds(page, extensionName = 'SoftKey for AWS') {
  const cdp = await page.context().newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const worlds = contexts
    .filter((c) => c.auxData?.type === 'isolated' && c.name === extensionName && c.auxData.frameId === frameTree.frame.id)
    .map((c) => ({
      evaluate: async (expression) => (await cdp.send('Runtime.evaluate', { expression, contextId: c.id, returnByValue: true })).result.value,
    }));
  return { worlds, close: () => cdp.detach().catch(() => {}) };
}

/**
 * Waits until `expression` is truthy in one of the extension's content-script worlds of `page`
 * (its scripts have run there), polling the DevTools protocol.
 */
export async function waitForContentScript(page, expression, { timeout = 10000, extensionName } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const { worlds, close } = await contentScriptWorlds(page, extensionName);
    try {
      for (const w of worlds) if (await w.evaluate(expression).catch(() => false)) return;
    } finally {
      await close();
    }
    if (Date.now() > deadline) throw new Error(`no content script world of ${page.url()} has ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Resolves once `page` has loaded and its renderer has gone idle: Chrome injects document_idle
 * content scripts in a task it posts when loading finishes, so by then they have run, or never
 * will on this document.
 */
export async function loadedAndIdle(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 2000 })));
}
