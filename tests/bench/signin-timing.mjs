// What the end-to-end benches share: the fixture sign-in page, a registration through the IAM
// page (with the consent window when it is the extension's), and one timed get() in the page.
import { url, waitForResult } from '../e2e/lib/browser.mjs';

export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
export const median = (xs) => quantile(xs, 0.5);

/** Loads the sign-in page for `user` and fetches the server's request options once. */
export async function signInPage(context, user, page = null) {
  page ??= await context.newPage();
  await page.goto(url('signin.aws.amazon.com', '/'));
  await page.evaluate(async (u) => {
    const o = await window.FixtureWebAuthn.postJSON('/api/signin/options', { user: u });
    window.__benchOptions = o.publicKey;
  }, user);
  return page;
}

/** Times one get() in the page (performance.now around the call), in ms. */
export const timeGet = (page) => page.evaluate(async () => {
  const publicKey = window.FixtureWebAuthn.decodeRequest(window.__benchOptions);
  const t0 = performance.now();
  await navigator.credentials.get({ publicKey });
  return performance.now() - t0;
});

/** Registers a key for `user` on the IAM page; `consentButton` answers the extension's window. */
export async function register(context, page, user, consentButton) {
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
