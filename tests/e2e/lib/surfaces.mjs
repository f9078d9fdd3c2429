// What tests/e2e/surfaces*.test.mjs share: the hosts of tests/fixtures/surfaces.py, vault and
// server set-up of TOTP devices, and the steps a person takes on each sign-in surface. Every
// code is checked by the fixture server (pyotp); nothing here computes an expected value with
// the extension's own code.
import { randomBytes } from 'node:crypto';
import { url, waitForResult } from './browser.mjs';
import { base32Encode, totpAt } from './totp-reference.mjs';

export const IDC = 'd-9067abcdef';
export const IDC_2 = 'd-90670000bb';
export const BUILDER_ID = 'd-9067b0b1d0';
export const MULTI_SESSION_CONSOLE = '210987654321-abcd1234.us-east-1.console.aws.amazon.com';
export const APP_AWS_PORTAL = 'ssoins-7223abcdef012345.portal.us-east-1.app.aws';

export const newSecret = (bytes = 20) => base32Encode(randomBytes(bytes));

/** A device the server accepts codes of, under `key` (see tests/fixtures/surfaces.py). */
export async function serverDevice(server, key, secret) {
  const r = await server.request('POST', '/__test/surfaces/device', { key, secret });
  if (!r.ok) throw new Error(`device ${key}: ${JSON.stringify(r)}`);
}

/** The server's device secrets by key. */
export async function serverDevices(server) {
  return (await server.request('GET', '/__test/mfa/devices')).devices;
}

/** An IAM user's virtual MFA device, on the server and in the vault (as the QR code names it). */
export async function addIamEntry(server, ui, { account, user, device = `${user}-phone`, aws = { account, user } }) {
  const secret = newSecret(40);
  await serverDevice(server, `${account}/${user}`, secret);
  const text = `otpauth://totp/Amazon%20Web%20Services:${encodeURIComponent(device)}%40${account}?secret=${secret}&issuer=Amazon%20Web%20Services`;
  return { ...(await ui('totp.add', { text, aws })), secret };
}

/** The AWS root user's device (its QR code names the account; the sign-in names the e-mail). */
export async function addRootEntry(server, ui, { account, email }) {
  const secret = newSecret(40);
  await serverDevice(server, `root/${email}`, secret);
  const text = `otpauth://totp/Amazon%20Web%20Services:root-account-mfa-device%40${account}?secret=${secret}&issuer=Amazon%20Web%20Services`;
  return { ...(await ui('totp.add', { text, aws: { account, user: email } })), secret };
}

/** An Amazon.com (retail) two-step verification app. */
export async function addAmazonEntry(server, ui, { email }) {
  const secret = newSecret(32);
  await serverDevice(server, `amazon/${email}`, secret);
  const text = `otpauth://totp/Amazon:${encodeURIComponent(email)}?secret=${secret}&issuer=Amazon`;
  return { ...(await ui('totp.add', { text })), secret };
}

/** An Identity Center user's authenticator app, as the portal would have captured it: it belongs
 * to a directory and a user (the vault's aws.directory), not to a 12-digit account. */
export async function addIdcEntry(server, ui, { directory, user }) {
  const secret = newSecret(20);
  await serverDevice(server, `idc/${directory}/${user}`, secret);
  const text = `otpauth://totp/AWS%20IAM%20Identity%20Center:${encodeURIComponent(user)}?secret=${secret}&issuer=AWS%20IAM%20Identity%20Center`;
  return { ...(await ui('totp.add', { text, aws: { directory, user } })), secret };
}

/** The surface-mfa checks the server logged (newest last). */
export async function mfaChecks(server) {
  return (await server.api.events()).filter((e) => e.kind === 'surface-mfa');
}

/** Whether `code` is the reference TOTP of `secret` now or one step back (the fill may straddle). */
export function isCurrentCode(secret, code) {
  const t = Date.now() / 1000;
  return [totpAt(secret, t - 30), totpAt(secret, t), totpAt(secret, t + 30)].includes(code);
}

/** The 2024 sign-in app: sign in as an IAM user (or root with `email`); the MFA step follows. */
export async function signIn2024(page, { host = 'signin.aws.amazon.com', path = '/oauth', account, user, email, noids = false, extra = '' }) {
  const q = new URLSearchParams({ client_id: 'arn:aws:signin:::console/canvas', redirect_uri: 'https://console.aws.amazon.com/console/home' });
  if (email) {
    q.set('type', 'root');
    q.set('email', email);
  } else {
    q.set('type', 'iam');
    q.set('account', account);
    q.set('user', user);
  }
  if (noids) q.set('noids', '1');
  await page.goto(url(host, `${path}?${q}${extra}`));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Multi-factor authentication').first().waitFor();
}

/** Amazon's login page in the AWS root user's older flow: e-mail, password, then the MFA step. */
export async function signInApRoot(page, { host = 'www.amazon.com', email, noids = false }) {
  const q = new URLSearchParams({
    'openid.return_to': 'https://signin.aws.amazon.com/oauth?response_type=code&client_id=arn%3Aaws%3Aiam%3A%3A015428540659%3Auser%2Fhomepage',
    'openid.assoc_handle': 'aws',
    'openid.mode': 'checkid_setup',
  });
  if (noids) q.set('noids', '1');
  await page.goto(url(host, `/ap/signin?${q}`));
  await page.fill('#ap_email', email);
  await page.click('#continue');
  await page.waitForSelector('#ap_password');
  await page.click('#signInSubmit');
  await page.getByRole('heading', { name: 'Multi-factor authentication' }).waitFor();
}

/** Identity Center (or Builder ID) login: username, password, then the MFA step. */
export async function signInIdc(page, { host = 'us-east-1.signin.aws', directory = IDC, user, noids = false, query = '' }) {
  const q = `workflowStateHandle=${randomBytes(8).toString('hex')}${noids ? '&noids=1' : ''}${query}`;
  await page.goto(url(host, `/platform/${directory}/login?${q}`));
  await continueIdcLogin(page, user);
}

/** The username and password steps of the Identity Center login, from wherever it was opened. */
export async function continueIdcLogin(page, user) {
  await page.getByLabel(/^(?:Username|Email address)$/).fill(user);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').waitFor();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The portal's "MFA devices" → "Register device" → `type` ("Authenticator app" | "Security key") → Next. */
export async function portalRegister(page, { host, path = '/start/', query = '', type = 'Authenticator app' }) {
  await page.goto(url(host, `${path}${query ? `?${query}` : ''}#/mfa-devices`));
  await page.getByRole('button', { name: 'Register device' }).click();
  await page.getByLabel(type).check();
  await page.getByRole('button', { name: 'Next' }).click();
}

/** Waits for a result, with a clearer failure than waitForFunction's timeout. */
export async function resultOf(page, timeout = 15000) {
  try {
    return await waitForResult(page, { timeout });
  } catch (e) {
    const status = await page.evaluate(() => document.getElementById('result')?.dataset.status).catch(() => 'closed');
    throw new Error(`${page.url()}: no result (status ${status}): ${e.message.split('\n')[0]}`);
  }
}

/** Elements the extension puts into a page (its buttons, hints, choosers). */
export function softkeyElements(page) {
  return page.evaluate(() => [...document.querySelectorAll('*')].filter((e) => e.tagName.startsWith('SOFTKEY-')).map((e) => e.tagName.toLowerCase()));
}
