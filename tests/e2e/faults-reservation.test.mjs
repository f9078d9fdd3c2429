// The counter reservation a restarted worker writes beside its first sign-in (issue 11 part 5,
// extension/background/vault-session.js reserveCounters): the write runs while the request is
// prepared and signed, and the answer waits for it. Faults around it, with the real extension:
//   - a worker woken for anything but a sign-in writes nothing;
//   - the first cold sign-in's counter is above the old stored ceiling and at or below the new
//     one, read here from the stored envelope with node:crypto (lib/faults.mjs), not our code;
//   - when the reservation cannot be stored (IndexedDB over quota), the page gets an error and no
//     counter, the stored vault is unchanged, and the next sign-in counts on above every counter
//     given, each verified by the fixture relying party (py_webauthn).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { url, waitForResult } from './lib/browser.mjs';
import { startExtension, answerPrompt } from './lib/extension-session.mjs';
import { pagesInOwnWindows } from './lib/windows.mjs';
import { counterOf, stopWorker, failVaultWrites, storedVault, signInOn } from './lib/faults.mjs';

const SW_PATH = '/extension/background/service-worker.js';

let session;
let server;
let context;
let control;
let ui;
let signinPages;
let uses = 0;
const given = [];

const stored = () => storedVault(control);

const ceiling = (contents) => Math.max(...contents.securityKeys.map((k) => k.signCount));

/** One silent sign-in (pages taken in turn: silent signing allows 12 a minute per tab). */
function signInOnce() {
  return signInOn(signinPages[uses++ % signinPages.length]);
}

/** A sign-in that must work, verified at the relying party above every counter given before. */
async function signInWorks(where) {
  const r = await signInOnce();
  assert.ok(r.ok, `${where}: ${r.name}: ${r.message}`);
  const counter = counterOf(r.credential);
  assert.ok(given.every((c) => c < counter), `${where}: counter ${counter} after ${given}`);
  given.push(counter);
  const verdict = await server.request('POST', '/api/signin/verify', { credential: r.credential });
  assert.ok(verdict.ok, `${where}: refused by the relying party: ${verdict.error}`);
  return counter;
}

/** Wakes a new worker from the popup (which opens the vault, signs nothing); returns a handle
 * that reaches the new instance. (Playwright keeps one Worker object for the extension's worker
 * target, which a restart keeps, see lib/browser.mjs; the instance is checked by its clock.) */
async function wakeFromPopup(stoppedOrigin) {
  assert.equal((await ui('vault.status')).state, 'unlocked');
  const worker = context.serviceWorkers().filter((w) => w.url().endsWith(SW_PATH)).at(-1);
  const origin = await Promise.race([
    worker.evaluate(() => performance.timeOrigin),
    new Promise((_, reject) => setTimeout(() => reject(new Error('the new worker instance did not answer')), 5000)),
  ]);
  assert.ok(origin > stoppedOrigin, 'the handle still reaches the stopped instance');
  return worker;
}

/** Stops the running worker; returns its start (performance.timeOrigin). */
async function stop() {
  const worker = context.serviceWorkers().filter((w) => w.url().endsWith(SW_PATH)).at(-1);
  const origin = await worker.evaluate(() => performance.timeOrigin);
  await stopWorker(context);
  return origin;
}

before(async () => {
  session = await startExtension();
  ({ server, control, ui } = session);
  context = session.browser.context;
  const page = await context.newPage();
  const consent = context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 });
  await page.goto(url('console.aws.amazon.com', '/iam/home?user=alice#/security_credentials'));
  await page.click('#next');
  await answerPrompt(await consent, /^Register/);
  const registered = await waitForResult(page);
  assert.equal(registered.status, 'ok', registered.text);
  await page.close();
  signinPages = await pagesInOwnWindows(context, control, 2, (i) => url('signin.aws.amazon.com', `/?auto=0&tab=${i}`));
  await signInWorks('first sign-in');
});

after(() => session?.close());

test('a worker woken by the popup writes nothing; its first sign-in is above the old ceiling and within the stored new one', async () => {
  // Stopped first: the last worker's lazy "last used" write cannot land in between.
  const stopped = await stop();
  const before = await stored();
  await wakeFromPopup(stopped);
  assert.equal((await stored()).vault, before.vault, 'a worker that signed nothing changed the stored vault');
  const counter = await signInWorks('first sign-in after the restart');
  assert.ok(counter > ceiling(before.contents), `counter ${counter} not above the old ceiling ${ceiling(before.contents)}`);
  const after = await stored();
  assert.ok(ceiling(after.contents) >= counter, `answered ${counter} with ${ceiling(after.contents)} stored`);
  assert.equal(after.vaultCopy, after.vault, 'both records written together');
});

test('the reservation cannot be stored: the sign-in gets an error and no counter, the vault is unchanged, the next one counts on', async (t) => {
  const worker = await wakeFromPopup(await stop());
  const before = await stored();
  const fault = await failVaultWrites(worker);
  const refused = await signInOnce();
  assert.equal(refused.ok, false, 'a counter was answered whose reservation was never stored');
  assert.equal(refused.name, 'UnknownError', refused.message);
  assert.match(refused.message, /could not save the vault/);
  assert.ok(await fault.count() >= 1, 'no write was attempted');
  assert.equal((await stored()).vault, before.vault, 'the stored vault changed while writes failed');
  t.diagnostic(`refused: ${refused.name}: ${refused.message}`);

  await fault.restore();
  const counter = await signInWorks('after the fault');
  assert.ok(counter > ceiling(before.contents), `counter ${counter} not above the stored ceiling ${ceiling(before.contents)}`);
  assert.ok(ceiling((await stored()).contents) >= counter);
});
