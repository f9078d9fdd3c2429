// Fault injection for the extension's service worker in Chromium: stop it at a chosen moment,
// make its IndexedDB writes fail as a full disk does, damage a stored record, and open a stored
// envelope independently of our code (node:crypto, from the documented layout).
import assert from 'node:assert/strict';
import { createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import { decodeCbor } from './cbor.mjs';
import { readStoredVault } from './vault-store.mjs';

/**
 * Opens a stored envelope with the master key (the session key), following the documented
 * version-1 layout (wasm/vault/src/lib.rs): magic, checksum = SHA-256 of everything before it,
 * data key = HKDF-SHA256(salt "softkey-vault/v1", info "softkey-vault/v1/data"), AES-256-GCM
 * with the data nonce at 98..110 and bytes 0..110 as associated data. Throws if any check fails.
 * The contents are CBOR (format 2), or JSON in a vault written before (format 1).
 */
export function openEnvelope(envelopeB64u, sessionKeyB64u) {
  const env = Buffer.from(envelopeB64u, 'base64url');
  assert.equal(env.subarray(0, 8).toString('latin1'), 'SKVAULT\0', 'magic');
  assert.equal(env[8], 1, 'format version');
  const body = env.subarray(0, env.length - 32);
  assert.ok(createHash('sha256').update(body).digest().equals(env.subarray(env.length - 32)), 'checksum: the envelope is whole');
  const dataKey = Buffer.from(hkdfSync('sha256', Buffer.from(sessionKeyB64u, 'base64url'), 'softkey-vault/v1', 'softkey-vault/v1/data', 32));
  const decipher = createDecipheriv('aes-256-gcm', dataKey, env.subarray(98, 110));
  decipher.setAAD(env.subarray(0, 110));
  decipher.setAuthTag(body.subarray(body.length - 16));
  const plaintext = Buffer.concat([decipher.update(body.subarray(110, body.length - 16)), decipher.final()]);
  return plaintext[0] === 0x7b ? JSON.parse(plaintext.toString('utf8')) : decodeCbor(plaintext);
}

/**
 * What is stored, read from the extension page `control`: both vault records, the session key,
 * and the contents opened independently with it (null while locked).
 */
export async function storedVault(control) {
  const records = await readStoredVault(control, ['vault', 'vaultCopy']);
  const { sessionKey } = await control.evaluate(() => chrome.storage.session.get('sessionKey'));
  return { ...records, sessionKey, contents: sessionKey ? openEnvelope(records.vault, sessionKey) : null };
}

/**
 * One sign-in in `page` (a fixture sign-in page): the relying party's options, then
 * navigator.credentials.get; `{ok, credential}` or `{ok: false, name, message}`.
 */
export function signInOn(page) {
  return page.evaluate(async () => {
    const W = window.FixtureWebAuthn;
    const o = await W.postJSON('/api/signin/options', { user: 'alice' });
    try {
      // A request handed back to the browser would wait for a key for ever: time it out.
      const cred = await navigator.credentials.get({ publicKey: W.decodeRequest(o.publicKey), signal: AbortSignal.timeout(8000) });
      return { ok: true, credential: W.encodeCredential(cred) };
    } catch (e) {
      return { ok: false, name: e.name, message: e.message };
    }
  }).catch((e) => ({ ok: false, name: 'PageError', message: e.message }));
}

/** The signature counter of an assertion (authenticatorData bytes 33..37). */
export const counterOf = (credential) => Buffer.from(credential.response.authenticatorData, 'base64url').readUInt32BE(33);

/**
 * Stops the extension's service worker (closing its target through a browser CDP session, see
 * lib/browser.mjs) `afterStartMs` after one runs: a worker being started counts (waited for up
 * to 5 s).
 * The next event to the extension starts a new instance. (Playwright does not notice that new
 * instance: a handle from before the stop no longer answers.)
 */
export async function stopWorker(context, { afterStartMs = 0 } = {}) {
  const cdp = await context.browser().newBrowserCDPSession();
  try {
    const deadline = Date.now() + 5000;
    for (;;) {
      const { targetInfos } = await cdp.send('Target.getTargets');
      const targets = targetInfos.filter((i) => i.type === 'service_worker' && i.url.startsWith('chrome-extension://'));
      assert.ok(targets.length <= 1, 'one running service worker');
      if (targets.length === 1) {
        if (afterStartMs) await new Promise((r) => setTimeout(r, afterStartMs));
        await cdp.send('Target.closeTarget', { targetId: targets[0].targetId });
        return;
      }
      assert.ok(Date.now() < deadline, 'no service worker ran to be stopped');
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Makes every IndexedDB readwrite transaction of this worker instance end as Chromium ends one
 * over quota: the put is issued, then the transaction aborts with a QuotaExceededError. Reads keep
 * working. Lasts until the worker stops (a new instance writes normally) or `restore()`.
 */
export async function failVaultWrites(worker) {
  await worker.evaluate(() => {
    if (globalThis.__faultPut) return;
    const put = IDBObjectStore.prototype.put;
    globalThis.__faultPut = put;
    globalThis.__faultWrites = 0;
    IDBObjectStore.prototype.put = function (...args) {
      const request = put.apply(this, args);
      const tx = this.transaction;
      if (!tx.__faulted) {
        tx.__faulted = true;
        globalThis.__faultWrites++;
        const error = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        Object.defineProperty(tx, 'error', { get: () => error });
        // After the rest of the transaction's puts, before it could commit.
        queueMicrotask(() => tx.abort());
      }
      return request;
    };
  });
  return {
    /** How many writes were made to fail so far. */
    count: () => worker.evaluate(() => globalThis.__faultWrites),
    restore: () => worker.evaluate(() => {
      IDBObjectStore.prototype.put = globalThis.__faultPut;
      delete globalThis.__faultPut;
    }),
  };
}

/** Stores `records` ({key: value}) in the extension's database, from the extension page `page`. */
export function writeStoredRecords(page, records) {
  return page.evaluate((items) => new Promise((resolve, reject) => {
    const open = indexedDB.open('softkey');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('vault', 'readwrite');
      for (const [key, value] of Object.entries(items)) tx.objectStore('vault').put(value, key);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), records);
}

/** `envelopeB64u` with one byte of its ciphertext flipped, as bit rot on disk would leave it. */
export function damaged(envelopeB64u) {
  const env = Buffer.from(envelopeB64u, 'base64url');
  env[120] ^= 0x40;
  return env.toString('base64url');
}
