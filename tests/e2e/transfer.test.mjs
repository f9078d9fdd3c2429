// Moving a security key between two Chromium profiles through the export page: registered in
// profile A (verified by py_webauthn on the fixture server), exported as an encrypted backup,
// imported into profile B with another vault password; B then signs in and the server verifies
// the assertion with the credential ID and public key from A's registration, the counter going
// up; A, having moved the key, no longer signs. The same backup's TOTP codes, read by the
// `softkey` command, equal oathtool's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFixtureServer, REPO_ROOT } from './lib/fixture-server.mjs';
import {
  DEFAULT_DIST, launchBrowser, extensionWorker, extensionIdOf, url, waitForResult, addVirtualAuthenticator,
} from './lib/browser.mjs';
import { uiCall, answerPrompt, PASSWORD } from './lib/extension-session.mjs';
import { RFC_SECRET } from './lib/totp-reference.mjs';

const PASSWORD_B = 'a different password for profile B';
const FILE_PASSWORD = 'backup file password';
const CLI = process.env.SOFTKEY_CLI || path.join(REPO_ROOT, 'target', 'debug', 'softkey');

let server;
const profiles = [];

async function openProfile(password) {
  const browser = await launchBrowser({ server, dist: DEFAULT_DIST });
  profiles.push(browser);
  const worker = await extensionWorker(browser.context);
  const extensionId = extensionIdOf(worker);
  const control = await browser.context.newPage();
  await control.goto(`chrome-extension://${extensionId}/extension/ui/popup.html`);
  const ui = (type, payload) => uiCall(control, type, payload);
  await ui('vault.create', { password });
  return { browser, extensionId, ui };
}

async function signInAs(page, user = 'alice') {
  await page.goto(url('signin.aws.amazon.com', '/'));
  await page.fill('#username', user);
  await page.click('#signin_button');
  return waitForResult(page);
}

async function openExportPage(profile) {
  const page = await profile.browser.context.newPage();
  await page.goto(`chrome-extension://${profile.extensionId}/extension/ui/export.html`);
  return page;
}

before(async () => {
  server = await startFixtureServer();
});

after(async () => {
  for (const p of profiles) await p.close().catch(() => {});
  await server?.stop();
});

test('a key moved to another profile signs there, verified against its registration, and not in the old one', async () => {
  await server.api.reset();
  const a = await openProfile(PASSWORD);

  // 1. Register in A (the consent prompt) and sign in once.
  const page = await a.browser.context.newPage();
  const consent = a.browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('consent.html'), timeout: 15000 });
  await page.goto(url('console.aws.amazon.com', '/iam/home?user=alice#/security_credentials'));
  await page.click('#next');
  const win = await consent;
  await win.waitForLoadState();
  await answerPrompt(win, /^Register/);
  assert.equal((await waitForResult(page)).status, 'ok');
  const first = await signInAs(page);
  assert.equal(first.status, 'ok', first.text);
  await a.ui('totp.add', { text: `otpauth://totp/AWS:alice?secret=${RFC_SECRET}&issuer=AWS`, label: 'prod alice', aws: { account: '111122223333', user: 'alice' } });

  // 2. Export from A's export page: encrypted backup, keys moved (the default).
  const exportPage = await openExportPage(a);
  await exportPage.check('input[name=format][value=backup]');
  assert.equal(await exportPage.inputValue('#keys'), 'move');
  await exportPage.fill('#file-password', FILE_PASSWORD);
  await exportPage.fill('#vault-password', PASSWORD);
  const downloading = exportPage.waitForEvent('download');
  await exportPage.click('#export-submit');
  const download = await downloading;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'softkey-transfer-'));
  const backupPath = path.join(dir, download.suggestedFilename());
  await download.saveAs(backupPath);
  assert.equal(readFileSync(backupPath).subarray(0, 8).toString(), 'SKBACKUP');
  assert.deepEqual(await a.ui('keys.list'), [], 'a moved key leaves the list');

  // 3. Import into B (another vault password): preview first, then import.
  const b = await openProfile(PASSWORD_B);
  const importPage = await openExportPage(b);
  await importPage.setInputFiles('#import-file', backupPath);
  await importPage.fill('#import-password', FILE_PASSWORD);
  await importPage.click('#preview-button');
  await importPage.waitForSelector('#preview h2');
  const preview = await importPage.textContent('#preview');
  assert.match(preview, /Security keys to add \(1\)/);
  assert.match(preview, /Authenticator entries to add \(1\)/);
  assert.deepEqual(await b.ui('keys.list'), [], 'the preview stored nothing');
  await importPage.click('#import-button');
  await importPage.waitForSelector('#import-result:not([hidden])');
  assert.equal((await b.ui('keys.list')).length, 1);

  // 4. B signs in; the server verifies with the public key from A's registration.
  const pageB = await b.browser.context.newPage();
  const fromB = await signInAs(pageB);
  assert.equal(fromB.status, 'ok', fromB.text);
  assert.ok(fromB.detail.newSignCount > first.detail.newSignCount, JSON.stringify([first.detail, fromB.detail]));
  const again = await signInAs(pageB);
  assert.equal(again.status, 'ok', again.text);
  assert.ok(again.detail.newSignCount > fromB.detail.newSignCount);

  // 5. A moved the key away: its request goes to the browser (an empty virtual authenticator
  // here, so the call settles), and the sign-in fails.
  const pageA = await a.browser.context.newPage();
  await addVirtualAuthenticator(pageA);
  const fromA = await signInAs(pageA);
  assert.equal(fromA.status, 'error', 'A must not sign after a move');

  // 6. The CLI reads the browser's backup; its code equals oathtool's.
  assert.ok(existsSync(CLI), `build the CLI first (cargo build -p softkey-cli): ${CLI}`);
  const at = 1_767_225_600 + 17;
  const env = { ...process.env, SOFTKEY_BACKUP_PASSWORD: FILE_PASSWORD };
  const ours = spawnSync(CLI, ['--file', backupPath, '--at', String(at), 'code', '111122223333/alice'], { env, encoding: 'utf8' });
  assert.equal(ours.status, 0, ours.stderr);
  const theirs = execFileSync('oathtool', ['--totp', '-b', '-N', `@${at}`, RFC_SECRET], { encoding: 'utf8' });
  assert.equal(ours.stdout, theirs);
  const wrong = spawnSync(CLI, ['--file', backupPath, 'code', 'prod alice'], { env: { ...env, SOFTKEY_BACKUP_PASSWORD: 'nope' }, encoding: 'utf8' });
  assert.notEqual(wrong.status, 0);
  assert.equal(wrong.stdout, '');
  assert.match(wrong.stderr, /wrong password/);
  writeFileSync(path.join(dir, 'done'), '');
});

/** A protobuf varint. */
const varint = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const field = (no, bytes) => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
const enumField = (no, v) => [...varint(no << 3), ...varint(v)];

test('a picture of a Google Authenticator transfer QR code imports its entries (payload and QR made independently)', async () => {
  // Google's published MigrationPayload, encoded by hand here (not by our codec): one TOTP entry,
  // SHA-1, six digits; then drawn as a PNG by segno (the fixture server's QR encoder).
  const secret = Buffer.from('12345678901234567890'); // RFC 6238's SHA-1 key
  const otp = [
    ...field(1, [...secret]), ...field(2, [...Buffer.from('picture@example.com')]),
    ...field(3, [...Buffer.from('PictureIssuer')]), ...enumField(4, 1), ...enumField(5, 1), ...enumField(6, 2),
  ];
  const payload = Buffer.from([...field(1, otp), ...enumField(2, 1), ...enumField(3, 1), ...enumField(4, 0)]);
  const uri = `otpauth-migration://offline?data=${encodeURIComponent(payload.toString('base64'))}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'softkey-migration-qr-'));
  const png = path.join(dir, 'transfer.png');
  execFileSync(process.env.SOFTKEY_PYTHON || path.join(REPO_ROOT, '.venv', 'bin', 'python'),
    ['-c', 'import segno, sys; segno.make(sys.argv[1], error="m").save(sys.argv[2], scale=6, border=4)', uri, png]);

  const c = await openProfile(PASSWORD);
  const page = await openExportPage(c);
  await page.setInputFiles('#import-file', png);
  await page.click('#preview-button');
  await page.waitForSelector('#preview h2');
  assert.match(await page.textContent('#preview'), /Authenticator entries to add \(1\)/);
  await page.click('#import-button');
  await page.waitForSelector('#import-result:not([hidden])');
  const entry = (await c.ui('totp.list')).find((e) => e.account === 'picture@example.com');
  assert.ok(entry, 'the entry from the picture is stored');
  assert.equal(entry.issuer, 'PictureIssuer');
  // Its code is RFC 6238's for that key now: checked with oathtool, not with our core.
  const now = Math.floor(Date.now() / 1000);
  const codes = [now - 30, now].map((t) => execFileSync('oathtool', ['--totp', '-b', '-N', `@${t}`, RFC_SECRET], { encoding: 'utf8' }).trim());
  assert.ok(codes.includes(entry.code), `${entry.code} is not one of ${codes}`);

  // A picture with no authenticator QR code gets a clear error and stores nothing.
  const plain = path.join(dir, 'plain.png');
  execFileSync(process.env.SOFTKEY_PYTHON || path.join(REPO_ROOT, '.venv', 'bin', 'python'),
    ['-c', 'import segno, sys; segno.make("https://example.com/").save(sys.argv[1], scale=6, border=4)', plain]);
  const before = (await c.ui('totp.list')).length;
  await page.setInputFiles('#import-file', plain);
  await page.click('#preview-button');
  await page.waitForSelector('#import-error:not([hidden])');
  assert.match(await page.textContent('#import-error'), /No authenticator QR code was found/);
  assert.equal((await c.ui('totp.list')).length, before);
});
