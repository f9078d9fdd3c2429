// @ts-check
// The vault as the service worker holds it: locked or unlocked, loaded from and saved to the
// extension's storage, with every operation run one at a time.
//
// Storage:
//   IndexedDB 'softkey', store 'vault' (the extension's own origin):
//                          'vault'      the sealed envelope (base64url); never anything in clear
//                          'vaultCopy'  the same envelope again, written in the same transaction:
//                                       a record damaged on disk (checksum) is restored from it
//                          'vaultIndex' SHA-256 hashes of our credential IDs and of the RP IDs of
//                                       discoverable ones, so a request arriving while locked can
//                                       be told "not ours" without asking for the password
//   chrome.storage.session 'sessionKey' the unlocked master key, so a restarted worker resumes
//                                       without the password; memory only, extension pages only
//
// Why IndexedDB and not chrome.storage.local: content scripts can read chrome.storage.local
// (Chrome's setAccessLevel restricts only storage.session), so a compromised renderer of an AWS
// page could copy the envelope for offline cracking. The extension origin's IndexedDB is
// reachable only from the extension's own pages and worker. Older versions kept both records in
// chrome.storage.local: `load` copies them over (one transaction), reads them back, and only
// then removes the old copy, so a worker stopped at any point loses nothing.
//
// A vault write is one IndexedDB readwrite transaction (durability "strict") holding the whole
// envelope and, when it changed, the index: the stored vault is the old one or the new one,
// never a mix, so a worker stopped mid-write loses nothing.
//
// A keyring just opened (a restarted worker, an unlock) would raise each key's counter ceiling at
// its first signature and store it before answering. Instead, as soon as a sign-in request finds
// the vault open, the core reserves the counters (Keyring.reserveCounters) and that write runs
// beside the request's own work; every answer that carries a counter waits for it (reserved()),
// so none is ever given above the stored ceiling. A worker woken for anything else writes nothing.
//
// A write that fails (quota exceeded, the database gone) is a StorageError to the caller, and the
// keyring goes back to what is stored, as if the worker had restarted: a change the caller was
// told failed (a new password, a key) never reaches storage later with another write.
import init, { Keyring, qrCaptureInfo, authenticatorTexts, siteOf, mfaChoiceKey, indexMightHold } from '../../wasm/softkey.js';
import { mark } from './cold-trace.js';

const VAULT = 'vault';
const INDEX = 'vaultIndex';
const COPY = 'vaultCopy';
const SESSION_KEY = 'sessionKey';
const NOTICE = 'vaultNotice'; // the repair notice: a restarted worker still says it, until the popup's "Got it"
const AUTO_LOCK_ALARM = 'softkey-autolock';
const DB_NAME = 'softkey';
const DB_STORE = 'vault';

let dbOpening = null;
function openDb() {
  dbOpening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(DB_STORE);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => { db.close(); dbOpening = null; };
      resolve(db);
    };
    request.onerror = () => { dbOpening = null; reject(request.error); };
  });
  return dbOpening;
}

function transaction(mode, body) {
  return openDb().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(DB_STORE, mode, { durability: 'strict' });
    const result = body(tx.objectStore(DB_STORE));
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('the vault write was aborted'));
  }));
}

/** `{key: value}` of those of `keys` that are stored. */
export function storedRecords(keys) {
  return transaction('readonly', (store) => {
    const out = {};
    for (const key of keys) {
      const request = store.get(key);
      request.onsuccess = () => { if (request.result !== undefined) out[key] = request.result; };
    }
    return out;
  });
}

/** Stores every record of `items` in one transaction: all of them or none. */
function storeRecords(items) {
  return transaction('readwrite', (store) => {
    for (const [key, value] of Object.entries(items)) store.put(value, key);
  });
}

/**
 * The stored records; a vault kept in chrome.storage.local by an older version is moved into
 * IndexedDB first. A cold sign-in waits for this, so in the usual case (the database holds the
 * vault) it is one read, and the check for an old copy left behind runs beside the request.
 */
async function readStored() {
  let stored = await storedRecords([VAULT, INDEX, COPY]);
  if (stored[VAULT]) {
    removeLegacyCopy().catch(() => {}); // the next start tries again
  } else {
    const legacy = await chrome.storage.local.get([VAULT, INDEX]);
    if (legacy[VAULT]) {
      await storeRecords(legacy[INDEX] ? { [VAULT]: legacy[VAULT], [INDEX]: legacy[INDEX] } : { [VAULT]: legacy[VAULT] });
      stored = await storedRecords([VAULT, INDEX, COPY]);
      if (stored[VAULT] !== legacy[VAULT]) throw namedError('VaultError', 'Moving the vault to the extension\'s database failed.');
      await removeLegacyCopy();
    }
  }
  // A vault stored before the second copy existed gets it now, not only at its next write.
  if (stored[VAULT] && stored[COPY] === undefined) {
    try {
      await storeRecords({ [COPY]: stored[VAULT] });
      stored[COPY] = stored[VAULT];
    } catch (_) { /* the next write stores both */ }
  }
  return stored;
}

/** Removes an older version's records from chrome.storage.local: only called once the database
 * holds the vault (the old copy is never newer). */
async function removeLegacyCopy() {
  const legacy = await chrome.storage.local.get([VAULT, INDEX]);
  if (legacy[VAULT] !== undefined || legacy[INDEX] !== undefined) await chrome.storage.local.remove([VAULT, INDEX]);
}

export function namedError(name, message) {
  return Object.assign(new Error(message), { name });
}

/**
 * Opens the stored vault with `open(envelope)` (Keyring.unlock or Keyring.resume); if the record
 * is damaged (VaultCorrupted: checksum, truncation) and its copy is not, opens the copy and says
 * so in `repaired`. Any other error (a wrong password) is the caller's, unchanged.
 */
function openStored(envelope, copy, open) {
  try {
    return { keyring: open(envelope), repaired: null };
  } catch (e) {
    if (e?.name !== 'VaultCorrupted') throw e;
    if (!copy || copy === envelope) throw damaged();
    let keyring;
    try {
      keyring = open(copy);
    } catch (e2) {
      throw e2?.name === 'VaultCorrupted' ? damaged() : e2;
    }
    return { keyring, repaired: copy };
  }
}

const damaged = () => namedError('VaultCorrupted',
  'The stored vault is damaged (both copies fail their checksum). Nothing was changed; ' +
  'restore it from a backup on the export page, or remove and reinstall SoftKey.');

export class VaultSession {
  /**
   * @param {object} [o]
   * @param {(envelope: string, password: string | null, sessionKey: string | null) => Promise<string>} [o.migrate]
   *   rewrites a vault whose contents this module cannot read (kind `needsMigration`: JSON,
   *   written before CBOR) in the current format; the worker runs it in the transfer module
   */
  constructor({ migrate } = {}) {
    this.migrate = migrate ?? (() => Promise.reject(namedError('VaultNeedsMigration', 'This build cannot migrate the vault.')));
    // Storage is read from the worker's first moment, beside the wasm's compile and the rest of
    // the top-level code: a cold sign-in waits for whichever of the two comes last. The reads are
    // asked first: init()'s own synchronous part (the fetch) takes a few ms.
    mark('storage-start');
    this.reads = Promise.all([readStored(), chrome.storage.session.get([SESSION_KEY, NOTICE])])
      .then((r) => { mark('storage-done'); return r; });
    this.reads.catch(() => {}); // load() reports it
    mark('wasm-start');
    this.wasm = init().then((exports) => { mark('wasm-ready'); return exports; });
    /** @type {Keyring|null} */
    this.keyring = null;
    this.envelope = null;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    this.unlockListeners = new Set();
    this.loaded = null;
    this.indexedIds = null; // the key ids the stored index was built from
    this.lazyWrite = 0;
    this.settingsCache = null;
    this.index = null;
    /** The counter reservation being written for a keyring just opened: {keyring, done}. */
    this.reservation = null;
  }

  /**
   * Runs `fn` after every operation queued before it: vault access is strictly serial.
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  serial(fn) {
    const result = this.queue.then(fn);
    this.queue = result.catch(() => {});
    return result;
  }

  /** Loads the envelope and, if the session key survived a worker restart, resumes. */
  load() {
    this.loaded ??= this.serial(async () => {
      const [, [stored, { [SESSION_KEY]: sessionKey, [NOTICE]: notice }]] = await Promise.all([this.wasm, this.reads]);
      this.envelope = stored[VAULT] ?? null;
      this.copy = stored[COPY] ?? null;
      this.index = stored[INDEX] ?? null;
      this.notice ??= notice;
      if (!this.envelope || !sessionKey) return;
      try {
        const { keyring, repaired } = await this.openOrMigrate((env) => Keyring.resume(env, sessionKey), { sessionKey });
        this.keyring = keyring;
        if (repaired) await this.repair(repaired);
        mark('opened');
        // A sign-in woke the worker: its reservation is written from here, not after the
        // request's own next steps.
        if (this.signInComing) this.reserveAhead();
      } catch (e) {
        // The stored vault changed under the key (another password, a restore): lock.
        await chrome.storage.session.remove(SESSION_KEY);
      }
    });
    return this.loaded;
  }

  async state() {
    await this.load();
    if (!this.envelope) return 'none';
    return this.keyring ? 'unlocked' : 'locked';
  }

  /**
   * `openStored`, and for a vault whose contents are still JSON (written before CBOR; this
   * module has no JSON reader: kind `needsMigration`), has them rewritten by the transfer module
   * under the same key, stores the result as both records and opens that. If storing fails, the
   * vault is open all the same and the next opening migrates again.
   * @param {(envelope: string) => Keyring} open
   * @param {{password?: string, sessionKey?: string}} opener
   * @returns {Promise<{keyring: Keyring, repaired: string | null}>}
   */
  async openOrMigrate(open, { password, sessionKey }) {
    try {
      return openStored(this.envelope, this.copy, open);
    } catch (e) {
      if (e?.kind !== 'needsMigration') throw e;
    }
    let migrated;
    try {
      migrated = await this.migrate(this.envelope, password ?? null, sessionKey ?? null);
    } catch (e) {
      // The record itself is damaged and its copy was the older vault that opened: migrate that.
      if (e?.name !== 'VaultCorrupted' || !this.copy) throw e;
      migrated = await this.migrate(this.copy, password ?? null, sessionKey ?? null);
    }
    const keyring = open(migrated);
    this.envelope = migrated;
    this.copy = migrated;
    try {
      await storeRecords({ [VAULT]: migrated, [COPY]: migrated });
    } catch (_) { /* open from memory; the stored vault is still the older one, migrated next time */ }
    return { keyring, repaired: null };
  }

  /** Rewrites the damaged record from its intact copy, and says so (vault.status `notice`). */
  async repair(copy) {
    this.envelope = copy;
    this.notice = 'The stored vault was damaged; SoftKey restored it from its second copy. Nothing was lost.';
    console.warn(`[SoftKey] ${this.notice}`);
    await chrome.storage.session.set({ [NOTICE]: this.notice }).catch(() => {});
    try {
      await storeRecords({ [VAULT]: copy, [COPY]: copy });
    } catch (_) { /* the copy still opens; the next write tries again */ }
  }

  /** The user has read the notice (the popup's "Got it"). */
  dismissNotice() {
    this.notice = null;
    return chrome.storage.session.remove(NOTICE);
  }

  /** The records to write for `envelope`: both copies, and the index only if it changed. */
  update(envelope) {
    const update = { [VAULT]: envelope, [COPY]: envelope };
    // The index only changes when keys are added or deleted, not on every counter; a restarted
    // worker compares it with the stored one rather than rewriting it before its first answer.
    const keys = this.keyring.securityKeys();
    const ids = keys.map((k) => `${k.id}:${k.discoverable ? k.rpId : ''}`).join(',');
    if (ids !== this.indexedIds) {
      const index = this.keyring.lockedIndex();
      if (index !== this.index) update[INDEX] = index;
    }
    return { update, ids };
  }

  /** Writes what `update` made, then takes it as the stored vault; a failure is a StorageError. */
  async write(envelope, { update, ids }) {
    try {
      await storeRecords(update);
    } catch (e) {
      throw namedError('StorageError', `SoftKey could not save the vault (${e?.name ?? 'Error'}: ` +
        `${e?.message || 'the write failed'}); the change was not made and the stored vault is unchanged.`);
    }
    if (update[INDEX]) this.index = update[INDEX];
    this.indexedIds = ids;
    this.envelope = envelope;
    this.copy = envelope;
  }

  async persist(envelope) {
    clearTimeout(this.lazyWrite);
    // After a reservation still being written (it is older: it must not land last), whatever
    // became of it: this envelope covers everything it did.
    const reservation = this.reservation;
    if (reservation) await reservation.done.catch(() => {});
    await this.write(envelope, this.update(envelope));
    if (this.reservation === reservation) this.reservation = null;
  }

  /**
   * A sign-in is coming (the engine asks as soon as a request is ours and the vault open). On a
   * keyring just opened its first signature would raise each key's counter ceiling and wait
   * for that write before answering; instead the core reserves the counters now, and the write
   * starts at once, beside the request's own work (prepare, consent, signing); `reserved()`
   * holds every answer until it is durable. Nothing else waits for it. Queued like every other
   * vault operation (after a change whose write may still fail), so a reservation never
   * stores a change its caller was told failed. Nothing to write (every key has its
   * reservation, or the vault is locked): nothing happens.
   */
  reserveCounters() {
    // Once per keyring: the warm path skips even the queue.
    if (this.keyring && this.keyring === this.reservedKeyring) return;
    // Still opening (a cold start): load() reserves as soon as the vault is open.
    this.signInComing = true;
    if (this.keyring) this.serial(async () => this.reserveAhead()).catch(() => {});
  }

  reserveAhead() {
    const keyring = this.keyring;
    this.reservedKeyring = keyring;
    let envelope;
    try {
      envelope = keyring?.reserveCounters();
    } catch (_) {
      return; // nothing reserved: the first signature writes its own
    }
    if (!keyring || !envelope) return;
    // The ceilings in memory are raised from here on: whatever fails must reach reserved() as a
    // failed reservation, never as none. The keys are the ones just read, so the index is left
    // as it is stored (the next change compares it).
    const done = this.write(envelope, { update: { [VAULT]: envelope, [COPY]: envelope }, ids: this.indexedIds })
      .then(() => mark('reserved'));
    done.catch(() => {}); // reserved() or persist() reports it
    this.reservation = { keyring, done };
  }

  /**
   * Resolves once the counter reservation of `keyring` (if any) is stored. If it could not be,
   * the keyring goes back to what is stored (rollBack) and the caller's answer, whose counter it
   * may not cover, is refused with the StorageError.
   * @param {Keyring} keyring
   */
  async reserved(keyring) {
    const reservation = this.reservation;
    if (!reservation || reservation.keyring !== keyring) return;
    try {
      await reservation.done;
    } catch (e) {
      if (this.keyring === keyring) this.rollBack();
      throw e;
    } finally {
      if (this.reservation === reservation) this.reservation = null;
    }
  }

  /**
   * After a failed write: the keyring goes back to the stored vault, as a restarted worker would
   * resume it (counters continue above the stored ceiling, so none repeats). Pending sign-in
   * requests held by the dropped keyring fail with it.
   */
  rollBack() {
    const current = this.keyring;
    if (!current || !this.envelope) return;
    const sessionKey = current.sessionKey();
    try {
      this.keyring = Keyring.resume(this.envelope, sessionKey);
    } catch (_) {
      this.keyring = null; // cannot happen with a stored vault we opened; lock rather than guess
    }
    current.free();
    this.settingsCache = null;
  }

  /** Saves what only matters for display (last used) a little later, off the request path. */
  persistSoon() {
    clearTimeout(this.lazyWrite);
    this.lazyWrite = setTimeout(() => {
      this.serial(async () => {
        if (this.keyring) await this.persist(this.keyring.seal());
      }).catch(() => {});
    }, 2000);
  }

  /** Whether a request might be ours, answerable without unlocking. */
  async mightHold(credentialIds, rpId) {
    await this.load();
    const index = this.index;
    if (!index) return false;
    return indexMightHold(index, credentialIds, rpId);
  }

  async opened(keyring) {
    this.keyring = keyring;
    this.lastTouch = 0;
    await chrome.storage.session.set({ [SESSION_KEY]: keyring.sessionKey() });
    this.touch();
    for (const listener of this.unlockListeners) listener();
  }

  create(password) {
    return this.serial(async () => {
      await this.load();
      if (this.envelope) throw namedError('VaultExists', 'A vault already exists; unlock it instead.');
      const keyring = Keyring.create(password, null, Date.now());
      this.keyring = keyring;
      try {
        await this.persist(keyring.seal());
      } catch (e) {
        this.keyring = null;
        keyring.free();
        throw e;
      }
      await this.opened(keyring);
    });
  }

  unlock(password) {
    return this.serial(async () => {
      await this.load();
      if (!this.envelope) throw namedError('NoVault', 'No vault has been created yet.');
      if (this.keyring) return;
      const { keyring, repaired } = await this.openOrMigrate((env) => Keyring.unlock(env, password), { password });
      if (repaired) await this.repair(repaired);
      await this.opened(keyring);
    });
  }

  /** Checks a password against the stored vault without changing anything. */
  verifyPassword(password) {
    return this.serial(async () => {
      (await this.openOrMigrate((env) => Keyring.unlock(env, password), { password })).keyring.free();
    });
  }

  /** The settings, read once per unlock. */
  settings() {
    return this.settingsCache ??= this.read((k) => k.settings());
  }

  lock() {
    return this.serial(async () => {
      if (this.keyring) {
        // Keep what was only saved lazily (last used) before the keys leave memory. A failed
        // write still locks: only display fields were unsaved (counters are within the stored
        // reservation), and a vault that cannot be written must not stay open for ever.
        clearTimeout(this.lazyWrite);
        await this.persist(this.keyring.seal()).catch((e) => console.warn(`[SoftKey] ${e.message}`));
      }
      this.settingsCache = null;
      this.keyring?.free();
      this.keyring = null;
      await chrome.storage.session.remove(SESSION_KEY);
      await chrome.alarms.clear(AUTO_LOCK_ALARM);
    });
  }

  /**
   * Of the texts read from a page's QR codes, the authenticator's otpauth:// URI and what it
   * names ({uri, issuer, account, sameSecret}), chosen and parsed by the core; needs no unlocked
   * vault. Throws kind `notOtpauth` when no text is one. See qr_capture_info in wasm/bindings.
   * @param {string[]} texts
   * @returns {Promise<import('../../wasm/softkey.js').QrCaptureInfo>}
   */
  async qrCaptureInfo(texts, shownSecret = '') {
    await this.wasm;
    return qrCaptureInfo(texts, shownSecret);
  }

  /**
   * The texts of QR codes an extension page read that are an authenticator's ({uris,
   * transfers}), sorted by the core; needs no unlocked vault.
   * @param {string[]} texts
   * @returns {Promise<import('../../wasm/softkey.js').AuthenticatorTexts>}
   */
  async authenticatorTexts(texts) {
    await this.wasm;
    return authenticatorTexts(texts);
  }

  /**
   * The site table's surface of a browser-reported URL ({id, kind, partition, capabilities,
   * region, account, directory}) or null; needs no unlocked vault. See wasm/core/src/sites.rs.
   * @param {string} url
   * @returns {Promise<import('../../wasm/softkey.js').SiteOf | null>}
   */
  async siteOf(url) {
    await this.wasm;
    return siteOf(url);
  }

  /**
   * The core's key of a remembered MFA choice for an MfaQuery (hex), or null.
   * @param {import('../../wasm/softkey.js').MfaQuery} query
   * @returns {Promise<string | null>}
   */
  async mfaChoiceKey(query) {
    await this.wasm;
    return mfaChoiceKey(query);
  }

  /**
   * Runs a read on the unlocked keyring.
   * @template T
   * @param {(k: Keyring) => T} fn
   * @returns {Promise<T>}
   */
  read(fn) {
    return this.serial(async () => {
      await this.load();
      return fn(this.requireUnlocked());
    });
  }

  /**
   * Runs a change: `fn` returns the bindings' `Mutation` `{result, envelope}`; the envelope is
   * stored before the result is handed back, so nothing the caller sends out is ever unsaved.
   * @template T
   * @param {(k: Keyring) => import('../../wasm/softkey.js').Mutation<T>} fn
   * @returns {Promise<T>}
   */
  mutate(fn) {
    return this.serial(async () => {
      await this.load();
      const keyring = this.requireUnlocked();
      const { result, envelope } = fn(keyring);
      // A null envelope: the stored vault already covers this change (a counter within its
      // reserved range), so the page may have its answer now, or once the reservation made for
      // this keyring's first sign-in is stored.
      if (envelope) {
        try {
          await this.persist(envelope);
        } catch (e) {
          this.rollBack();
          throw e;
        }
      } else {
        await this.reserved(keyring);
        this.persistSoon();
      }
      // No touch(): a page that keeps signing is not the user being present (see touch).
      return result;
    });
  }

  /**
   * Runs an export or import in the transfer module (wasm/softkey_transfer.js, instantiated
   * only for the export page): `fn(envelope, sessionKey)` works on the current contents (sealed
   * fresh, so nothing saved only lazily is lost) and returns its `Mutation`. A new
   * envelope is stored and the keyring reopened from it; if storing fails, the keyring stays as
   * it was. Pending sign-in requests held by the old keyring are dropped with it.
   * @template T
   * @param {(envelope: string, sessionKey: string) => import('../../wasm/softkey_transfer.js').Mutation<T>} fn
   * @returns {Promise<T>}
   */
  transfer(fn) {
    return this.serial(async () => {
      await this.load();
      const keyring = this.requireUnlocked();
      // An export carries the counter ceilings: only stored ones.
      await this.reserved(keyring);
      const sessionKey = keyring.sessionKey();
      const { result, envelope } = await fn(keyring.seal(), sessionKey);
      if (envelope) {
        const next = Keyring.resume(envelope, sessionKey);
        this.keyring = next;
        try {
          await this.persist(envelope);
        } catch (e) {
          this.keyring = keyring;
          next.free();
          throw e;
        }
        keyring.free();
        this.settingsCache = null;
      }
      this.touch();
      return result;
    });
  }

  requireUnlocked() {
    if (!this.envelope) throw namedError('NoVault', 'No vault has been created yet.');
    if (!this.keyring) throw namedError('VaultLocked', 'SoftKey is locked.');
    return this.keyring;
  }

  /** Waits until the vault is unlocked, or `signal` aborts. */
  whenUnlocked(signal) {
    if (this.keyring) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => { this.unlockListeners.delete(done); resolve(); };
      this.unlockListeners.add(done);
      signal.addEventListener('abort', () => { this.unlockListeners.delete(done); reject(signal.reason); }, { once: true });
    });
  }

  /** Restarts the idle timer (chrome.alarms survives the worker being stopped); at most
   * every 30 s. Only the user's own actions call it: unlocking, the popup and the other
   * extension pages, an approved prompt. A page's requests never do, or a page calling get()
   * in a loop would keep the vault open for ever. */
  touch() {
    if (!this.keyring || Date.now() - (this.lastTouch ?? 0) < 30_000) return;
    this.lastTouch = Date.now();
    let minutes = 15;
    try {
      minutes = this.keyring.settings().autoLockMinutes;
    } catch (_) { /* keep the default */ }
    if (minutes > 0) chrome.alarms.create(AUTO_LOCK_ALARM, { delayInMinutes: minutes });
    else chrome.alarms.clear(AUTO_LOCK_ALARM);
  }

  /** After the settings changed: forget the cached copy and re-arm the timer now. */
  settingsChanged() {
    this.settingsCache = null;
    this.lastTouch = 0;
    this.touch();
  }

  static isAutoLockAlarm(alarm) {
    return alarm.name === AUTO_LOCK_ALARM;
  }
}
