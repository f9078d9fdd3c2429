// QR codes with the real extension (dist/): the IAM page's QR code read by "Add to SoftKey"
// (codes checked by the fixture server with pyotp), its fallback to the secret text when the
// image is cross-origin, its refusal when QR and text disagree; the popup's "Show QR" read back
// by zxing-cpp (an independent decoder) in both themes; and "Scan QR code on this tab" through
// the real toolbar popup (CDP Extensions.triggerAction grants activeTab, as a click would),
// the QR codes drawn by segno on the fixture server. One browser for the whole file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pythonPath, REPO_ROOT } from './lib/fixture-server.mjs';
import { ARTIFACTS, url, waitForResult } from './lib/browser.mjs';
import { ACTION_ARGS, openActionPopup } from './lib/action-popup.mjs';
import { totpAt, base32Encode as base32 } from './lib/totp-reference.mjs';
import { startExtension, mfaStats, PASSWORD } from './lib/extension-session.mjs';

const ACCOUNT = '123456789012';
const DECODER = path.join(REPO_ROOT, 'tests', 'e2e', 'lib', 'decode_qr.py');

/** The fields of an otpauth URI that make the codes, defaults filled in, for comparison. */
function otpFields(uri) {
  const u = new URL(uri);
  const p = u.searchParams;
  return {
    type: u.host,
    label: decodeURIComponent(u.pathname.slice(1)),
    issuer: p.get('issuer'),
    secret: p.get('secret').replace(/=+$/, '').toUpperCase(),
    digits: p.get('digits') ?? '6',
    period: p.get('period') ?? '30',
    algorithm: (p.get('algorithm') ?? 'SHA1').toUpperCase(),
  };
}

/** zxing-cpp's reading of PNG files: one list of texts per file. */
function zxing(...files) {
  return JSON.parse(execFileSync(pythonPath(), [DECODER, ...files], { encoding: 'utf8' }));
}

let session;
let server;
let browser;
let worker;
let extensionId;
let ui;

const stats = () => mfaStats(worker);

before(async () => {
  // The control page's fragment keeps it from being taken for the action popup.
  session = await startExtension({ extraArgs: ACTION_ARGS, controlHash: '#control' });
  ({ server, browser, worker, extensionId, ui } = session);
});

after(() => session?.close());

/** The IAM wizard up to "Add to SoftKey" pressed; returns the page and the button's status. */
async function captureOnIam({ qr, user, device }) {
  const page = await browser.context.newPage();
  await page.goto(url('console.aws.amazon.com', `/mfa/iam?user=${user}&qr=${qr}`));
  await page.fill('#mfa-device-name', device);
  await page.click('#next');
  await page.waitForFunction(() => {
    const img = document.getElementById('qr-code');
    return img.src.includes('/mfa/qr.png') && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 10000 });
  await page.getByRole('button', { name: 'Add to SoftKey' }).click();
  const status = page.locator('softkey-mfa-capture [role=status]');
  await page.waitForFunction(() => {
    const text = document.querySelector('softkey-mfa-capture')?.shadowRoot.querySelector('[role=status]').textContent ?? '';
    // "The code changes in N s": near the end of a step the capture waits for the next one.
    return text && !text.startsWith('Reading') && !text.startsWith('The code changes in');
  }, null, { timeout: 20000 });
  return { page, status: await status.textContent() };
}

async function enableOnServer(page) {
  await page.click('#add-mfa');
  return waitForResult(page);
}

test('IAM page: the QR code is read, its entry stored, and the server accepts both codes', async () => {
  const before = await stats();
  const { page, status } = await captureOnIam({ qr: 'same', user: 'qr-alice', device: 'qr-alice-phone' });
  assert.match(status, /^Added to SoftKey/);
  const after = await stats();
  assert.equal(after.qrRead - before.qrRead, 1, 'the worker decoded the QR code');
  assert.equal(after.qrUnread, before.qrUnread);
  const result = await enableOnServer(page);
  assert.equal(result.status, 'ok', result.text);
  const { devices } = await server.request('GET', '/__test/mfa/devices');
  assert.equal(devices[`${ACCOUNT}/qr-alice`]?.enabled, true);
  const entry = (await ui('totp.list')).find((e) => e.aws?.user === 'qr-alice');
  assert.equal(entry.issuer, 'Amazon Web Services');
  assert.equal(entry.account, `qr-alice-phone@${ACCOUNT}`);
  assert.equal(entry.aws.account, ACCOUNT);
  await page.close();
});

test('IAM page: a cross-origin QR image (tainted canvas) falls back to the secret text', async () => {
  const before = await stats();
  const { page, status } = await captureOnIam({ qr: 'cross', user: 'qr-bob', device: 'qr-bob-phone' });
  assert.ok(await page.evaluate(() => new URL(document.getElementById('qr-code').src).host === 'www.example.test'));
  assert.match(status, /^Added to SoftKey/);
  const after = await stats();
  assert.equal(after.qrRead, before.qrRead, 'no pixels could be sent');
  assert.ok(await page.isVisible('#secret-key'), 'the secret text was revealed and used');
  const result = await enableOnServer(page);
  assert.equal(result.status, 'ok', result.text);
  await page.close();
});

test('IAM page: a QR code whose secret differs from the text is refused and nothing is stored', async () => {
  const count = (await ui('totp.list')).length;
  const before = await stats();
  const { page, status } = await captureOnIam({ qr: 'mismatch', user: 'qr-eve', device: 'qr-eve-phone' });
  assert.match(status, /The QR code and the secret key on this page differ, so SoftKey added nothing/);
  assert.equal((await stats()).qrRead - before.qrRead, 1);
  assert.equal((await ui('totp.list')).length, count);
  assert.deepEqual(await page.evaluate(() => [document.getElementById('mfa-code-1').value, document.getElementById('mfa-code-2').value]), ['', '']);
  await page.close();
});

test('popup: "Show QR" draws the entry as a QR code zxing-cpp reads back, in both themes', async () => {
  const secret = base32(randomBytes(40)); // 64 characters, as AWS issues
  const uri = `otpauth://totp/Amazon%20Web%20Services:qr-show%40${ACCOUNT}?secret=${secret}&issuer=Amazon%20Web%20Services`;
  const added = await ui('totp.add', { text: uri, label: 'QR show' });
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/extension/ui/popup.html#tab`);
  await popup.getByRole('button', { name: `Edit ${added.label}` }).click();
  await popup.click('#edit-reveal');
  await popup.fill('#reveal-password', PASSWORD);
  await popup.keyboard.press('Enter');
  const canvas = popup.locator('#reveal-qr canvas');
  await canvas.waitFor();
  mkdirSync(ARTIFACTS, { recursive: true });
  const files = [];
  for (const colorScheme of ['light', 'dark']) {
    await popup.emulateMedia({ colorScheme });
    const file = path.join(ARTIFACTS, `qr-reveal-${colorScheme}.png`);
    await canvas.screenshot({ path: file });
    files.push(file);
  }
  await popup.emulateMedia({ colorScheme: 'light' });
  const read = zxing(...files);
  for (const texts of read) {
    assert.equal(texts.length, 1, JSON.stringify(read));
    assert.deepEqual(otpFields(texts[0]), otpFields(uri));
  }
  // Whole modules of at least 3 CSS pixels, with the 4-module quiet zone inside the canvas.
  const box = await canvas.boundingBox();
  assert.ok(box.width >= 150 && box.width <= 330, JSON.stringify(box));
  // The link is shown beside it, and both are gone once the dialog closes.
  assert.deepEqual(otpFields(await popup.inputValue('#reveal-uri')), otpFields(uri));
  await popup.keyboard.press('Escape');
  await popup.waitForFunction(() => document.querySelector('#reveal-qr').childElementCount === 0, null, { timeout: 2000 });
  await popup.close();
});

/** Opens the real popup over `page`, presses "Scan QR code on this tab", returns the outcome. */
async function scanFromPopup(page) {
  const popup = await openActionPopup(browser.context, extensionId, page);
  try {
    return await popup.evaluate(async () => {
      const wait = async (fn, ms = 15000) => {
        const end = Date.now() + ms;
        for (;;) {
          const v = fn();
          if (v) return v;
          if (Date.now() > end) throw new Error(`timed out: ${fn}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      // The popup target may be found before its document is parsed.
      await wait(() => document.readyState === 'complete' && document.querySelector('#view-main')?.hidden === false &&
        document.querySelector('#codes li.entry'));
      document.querySelector('#add-open').click();
      await wait(() => document.querySelector('#add-dialog').open);
      document.querySelector('#add-scan').click();
      await wait(() => !document.querySelector('#add-error').hidden || !document.querySelector('#add-dialog').open);
      return document.querySelector('#add-dialog').open
        ? { error: document.querySelector('#add-error-text').textContent }
        : { added: document.querySelector('.toast')?.textContent ?? '' };
    });
  } finally {
    await popup.close();
  }
}

async function qrTab(text) {
  const page = await browser.context.newPage();
  const query = text === null ? `n=${Date.now()}` : `text=${encodeURIComponent(text)}`;
  await page.goto(url('console.aws.amazon.com', `/qr-page?${query}`));
  if (text !== null) await page.waitForFunction(() => document.getElementById('qr').complete && document.getElementById('qr').naturalWidth > 0);
  return page;
}

test('popup: "Scan QR code on this tab" captures the tab and adds the otpauth entry it shows', async () => {
  const secret = base32(randomBytes(32)); // 52 characters, as Amazon.com issues
  const email = 'qr.scan@example.com';
  const uri = `otpauth://totp/Amazon:${encodeURIComponent(email)}?secret=${secret}&issuer=Amazon`;
  const page = await qrTab(uri);
  const outcome = await scanFromPopup(page);
  assert.deepEqual(outcome, { added: 'Added Amazon: qr.scan@example.com' });
  const t0 = Math.floor(Date.now() / 1000);
  const entry = (await ui('totp.list')).find((e) => e.account === email);
  const t1 = Math.floor(Date.now() / 1000);
  assert.equal(entry.issuer, 'Amazon');
  assert.ok([totpAt(secret, t0), totpAt(secret, t1)].includes(entry.code), 'the code comes from the scanned secret');
  await page.close();
});

test('popup: scanning a tab with no QR code, another QR code, or an hotp code says why and adds nothing', async () => {
  const count = (await ui('totp.list')).length;
  const cases = [
    [null, /^No QR code was found on this tab/],
    ['https://aws.amazon.com/iam/', /not an authenticator code \(it has no otpauth:\/\/ link\)/],
    [`otpauth://hotp/Example:counter?secret=${base32(randomBytes(20))}&counter=0&issuer=Example`, /^unsupported otpauth type 'hotp'/],
  ];
  for (const [text, message] of cases) {
    const page = await qrTab(text);
    const outcome = await scanFromPopup(page);
    assert.match(outcome.error ?? JSON.stringify(outcome), message);
    await page.close();
  }
  assert.equal((await ui('totp.list')).length, count);
});

test('popup: a Google Authenticator transfer QR code on the tab is previewed, then imported on "Import"', async () => {
  // Google's MigrationPayload encoded by hand (not by our codec): one TOTP entry, SHA-1, six
  // digits; the fixture server draws it with segno.
  const varint = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
  const field = (no, bytes) => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
  const enumField = (no, v) => [...varint(no << 3), ...varint(v)];
  const secret = randomBytes(20);
  const otp = [...field(1, [...secret]), ...field(2, [...Buffer.from('transfer@example.com')]),
    ...field(3, [...Buffer.from('TransferIssuer')]), ...enumField(4, 1), ...enumField(5, 1), ...enumField(6, 2)];
  const payload = Buffer.from([...field(1, otp), ...enumField(2, 1), ...enumField(3, 1), ...enumField(4, 0)]);
  const page = await qrTab(`otpauth-migration://offline?data=${encodeURIComponent(payload.toString('base64'))}`);
  const popup = await openActionPopup(browser.context, extensionId, page);
  try {
    const title = await popup.evaluate(async () => {
      const wait = async (fn, ms = 15000) => {
        const end = Date.now() + ms;
        for (;;) {
          const v = fn();
          if (v) return v;
          if (Date.now() > end) throw new Error(`timed out: ${fn}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await wait(() => document.readyState === 'complete' && document.querySelector('#view-main')?.hidden === false);
      document.querySelector('#add-open').click();
      await wait(() => document.querySelector('#add-dialog').open);
      document.querySelector('#add-scan').click();
      await wait(() => document.querySelector('#confirm-dialog').open);
      const text = `${document.querySelector('#confirm-title').textContent} ${document.querySelector('#confirm-text').textContent}`;
      document.querySelector('#confirm-ok').click();
      await wait(() => /^Imported/.test(document.querySelector('.toast')?.textContent ?? ''));
      return text;
    });
    assert.match(title, /^Import 1 authenticator entry\?/);
    assert.match(title, /transfer@example\.com/);
  } finally {
    await popup.close();
  }
  const entry = (await ui('totp.list')).find((e) => e.account === 'transfer@example.com');
  assert.ok(entry, 'imported');
  const t = Date.now() / 1000;
  assert.ok([totpAt(base32(secret), t - 30), totpAt(base32(secret), t)].includes(entry.code), 'the code comes from the transferred secret');
  await page.close();
});
