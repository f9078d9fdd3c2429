// The setup the end-to-end files with the real extension share: the fixture server, Chromium
// with the unpacked extension, and `control`, an extension page (the popup, opened as a tab)
// from which `ui()` calls the UI API the way the popup does. The vault is created with PASSWORD
// unless a file asks otherwise.
import { startFixtureServer } from './fixture-server.mjs';
import { DEFAULT_DIST, launchBrowser, extensionWorker, extensionIdOf } from './browser.mjs';

export const PASSWORD = 'correct horse battery staple';

/** Calls the UI API from the extension page `page`; an error reply is thrown, with its name. */
export async function uiCall(page, type, payload = {}) {
  const reply = await page.evaluate(([t, p]) => chrome.runtime.sendMessage({ ...p, type: t }), [type, payload]);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { name: reply.error.name, kind: reply.error.kind });
  return reply.value;
}

/**
 * Starts the fixture server and Chromium with the extension; `close()` stops both.
 * @param {object} [o]
 * @param {string} [o.dist] the unpacked extension (default: dist/)
 * @param {string[]} [o.extraArgs] more Chromium flags
 * @param {string} [o.controlHash] a fragment for the control page's URL, e.g. '#control'
 * @param {boolean} [o.createVault] create the vault with PASSWORD (default: true)
 */
export async function startExtension({ dist = DEFAULT_DIST, extraArgs = [], controlHash = '', createVault = true } = {}) {
  const server = await startFixtureServer();
  let browser = null;
  const close = async () => {
    try {
      await browser?.close();
    } finally {
      await server.stop();
    }
  };
  try {
    browser = await launchBrowser({ server, dist, extraArgs });
    const worker = await extensionWorker(browser.context);
    const extensionId = extensionIdOf(worker);
    const control = await browser.context.newPage();
    await control.goto(`chrome-extension://${extensionId}/extension/ui/popup.html${controlHash}`);
    const ui = (type, payload) => uiCall(control, type, payload);
    if (createVault) await ui('vault.create', { password: PASSWORD });
    return { server, browser, worker, extensionId, control, ui, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Clicks a button in one of the extension's prompt windows, which closes itself once answered. */
export async function answerPrompt(win, name) {
  try {
    await win.getByRole('button', { name }).click();
  } catch (e) {
    if (!/closed/.test(e.message)) throw e;
  }
}

/** The worker's MFA counters (`globalThis.softkeyMfaStats`); an error after 5 s, where a stopped
 * worker would leave `evaluate` hanging. */
export function mfaStats(worker) {
  return Promise.race([
    worker.evaluate(() => ({ ...globalThis.softkeyMfaStats })),
    new Promise((_, reject) => setTimeout(() => reject(new Error('worker did not answer')), 5000)),
  ]);
}

/** How many answers of `key` (`<message type>:<kind>`, see mfaStats in mfa-handlers.js) the
 * worker has sent, in a snapshot of `mfaStats`. */
export const replies = (stats, key) => stats.replies?.[key] ?? 0;

/** Polls the worker's MFA counters until `predicate(stats)` holds; returns those stats. */
export async function waitForMfaStats(worker, predicate, { timeout = 10000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const stats = await mfaStats(worker);
    if (predicate(stats)) return stats;
    if (Date.now() > deadline) throw new Error(`the worker's MFA counters never matched: ${JSON.stringify(stats)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
