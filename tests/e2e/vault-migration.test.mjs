// A vault written before the contents moved to CBOR (JSON contents, format 1) opens in the
// extension as it is today: the sign-in module has no JSON reader, so the worker has the
// transfer module rewrite the vault under the same key, then opens it. The fixture is the
// envelope the older code wrote (wasm/core/tests/fixtures, made at 2f966e5); what it holds is
// checked with independent code: TOTP codes with the RFC 6238 reference, the stored contents
// opened with node:crypto, and the security key's signature with node:crypto and the public key
// the site was given at registration.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { startExtension, uiCall } from './lib/extension-session.mjs';
import { stopAllServiceWorkers, url } from './lib/browser.mjs';
import { writeStoredRecords, openEnvelope } from './lib/faults.mjs';
import { pageCall, promptWatcher } from './lib/hostile.mjs';
import { totpAt, RFC_SECRET } from './lib/totp-reference.mjs';
import { answerPrompt } from './lib/extension-session.mjs';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'wasm', 'core', 'tests', 'fixtures');
const OLD_VAULT = readFileSync(path.join(FIXTURES, 'vault-contents-json.bin')).toString('base64url');
const FACTS = JSON.parse(readFileSync(path.join(FIXTURES, 'vault-contents-json.facts.json'), 'utf8'));

let ext = null;
after(async () => { await ext?.close(); });

/** What the extension stores, read from its database in the extension page `page`. */
function storedRecords(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('softkey');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('vault', 'readonly');
      const store = tx.objectStore('vault');
      const out = {};
      for (const key of ['vault', 'vaultCopy']) store.get(key).onsuccess = (e) => { out[key] = e.target.result ?? null; };
      tx.oncomplete = () => { open.result.close(); resolve(out); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

/** Stores the old vault as both records and restarts the worker, which reads them afresh. */
async function installOldVault() {
  await writeStoredRecords(ext.control, { vault: OLD_VAULT, vaultCopy: OLD_VAULT });
  await stopAllServiceWorkers(ext.browser.context);
}

/** The codes the extension shows agree with RFC 6238's reference for the fixture's entries. */
async function checkCodes() {
  for (;;) {
    const before = Math.floor(Date.now() / 1000);
    const codes = await ext.ui('totp.list');
    const after = Math.floor(Date.now() / 1000);
    if (Math.floor(before / 30) !== Math.floor(after / 30)) continue; // a step began mid-call
    assert.equal(codes.length, 3, JSON.stringify(codes.map((c) => c.label)));
    const carol = codes.find((c) => c.label === "carol's phone");
    assert.ok(carol, 'the SHA-1 entry is there');
    assert.equal(carol.code, totpAt(RFC_SECRET, before));
    assert.equal(carol.aws.account, '123456789012');
    return codes;
  }
}

/** Stored records are CBOR contents now (format 2), both copies. */
async function checkStoredAsCbor() {
  const stored = await storedRecords(ext.control);
  const { sessionKey } = await ext.control.evaluate(() => chrome.storage.session.get('sessionKey'));
  assert.ok(sessionKey, 'unlocked: a session key');
  for (const key of ['vault', 'vaultCopy']) {
    assert.notEqual(stored[key], OLD_VAULT, `${key} was rewritten`);
    const contents = openEnvelope(stored[key], sessionKey);
    assert.equal(contents.format, 2, `${key}: CBOR contents`);
    assert.equal(contents.totp.length, 3);
  }
}

test('a vault with JSON contents unlocks, is rewritten as CBOR, and its key still signs', async () => {
  ext = await startExtension({ createVault: false });
  await installOldVault();
  assert.equal((await ext.ui('vault.status')).state, 'locked');

  // A wrong password is told apart by kind, as every UI error carries one.
  await assert.rejects(ext.ui('vault.unlock', { password: 'not it' }), (e) => e.kind === 'wrongPassword' && e.name === 'WrongPassword');
  await ext.ui('vault.unlock', { password: FACTS.password });
  await checkCodes();
  await checkStoredAsCbor();
  const settings = await ext.ui('settings.get');
  assert.equal(settings.autoLockMinutes, 5);
  assert.equal(settings.clearClipboardSeconds, 45);

  // The WebAuthn key signs; the signature verifies with the public key from its registration.
  const prompts = promptWatcher(ext.browser.context);
  const page = await ext.browser.context.newPage();
  await page.goto(url('signin.aws.amazon.com', '/hostile/blank'));
  const from = prompts.count();
  const call = page.evaluate(async (id) => {
    const b64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));
    const enc = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const c = await navigator.credentials.get({ publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: 'amazon.com',
      allowCredentials: [{ type: 'public-key', id: b64(id) }],
    } });
    return { id: c.id, authenticatorData: enc(c.response.authenticatorData), clientDataJSON: enc(c.response.clientDataJSON), signature: enc(c.response.signature) };
  }, FACTS.webauthnCredentialId);
  // The fixture's settings ask before each sign-in.
  await answerPrompt(await prompts.next('consent', from), /^Sign in/);
  const got = await call;
  assert.equal(got.id, FACTS.webauthnCredentialId);
  const authData = Buffer.from(got.authenticatorData, 'base64url');
  const signed = Buffer.concat([authData, createHash('sha256').update(Buffer.from(got.clientDataJSON, 'base64url')).digest()]);
  const key = createPublicKey({ key: Buffer.from(FACTS.webauthnPublicKeySpki, 'hex'), format: 'der', type: 'spki' });
  assert.ok(verify('sha256', signed, key, Buffer.from(got.signature, 'base64url')), 'the signature verifies');
  assert.ok(authData.readUInt32BE(33) > FACTS.signaturesGiven, 'the counter goes on from the old vault');
  await page.close();
});

test('a worker restarted with the session key migrates an older vault it finds stored', async () => {
  // The same master key seals both, so the session key of the unlocked vault opens the old one.
  await installOldVault();
  assert.equal((await ext.ui('vault.status')).state, 'unlocked');
  const codes = await checkCodes();
  assert.ok(codes.some((c) => c.label === 'erin-laptop (Identity Center d-1234567890)' || c.aws?.directory === 'd-1234567890'));
  await checkStoredAsCbor();
  // A duplicate is told apart by kind.
  const add = () => uiCall(ext.control, 'totp.add', { text: `otpauth://totp/Example:dave?secret=${RFC_SECRET}&issuer=Example` });
  await add();
  await assert.rejects(add(), (e) => e.kind === 'duplicate');
});
