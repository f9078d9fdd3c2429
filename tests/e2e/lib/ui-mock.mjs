// A throwaway unpacked extension for UI tests that need states the real service worker only
// reaches through a whole WebAuthn ceremony (a pending consent prompt, registered security
// keys): our real extension pages (extension/ui, extension/shared) with a MOCK service worker
// that answers shared/ui-api.js requests from memory and records what it was asked.
//
// The mock validates every request with the real validateUiRequest, so a page sending a
// malformed request still fails here. Its TOTP codes come from WebCrypto (RFC 6238) so the
// countdown behaves as with the real worker. Tests drive it through `globalThis.__mock` in the
// worker (see `mockWorker` below).
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './fixture-server.mjs';

/** Runs inside the service worker (serialized with toString). */
function mockWorkerMain(validateUiRequest) {
  const named = (name, message) => Object.assign(new Error(message), { name });
  const mock = {
    vault: 'none', // none | locked | unlocked
    password: null,
    totp: [],
    keys: [],
    settings: {
      autoLockMinutes: 15, attestationFormat: 'packed', autoApproveSignIn: true, autoSubmit: { aws: true, amazon: true },
      clearClipboard: true, clearClipboardSeconds: 30,
    },
    copied: [], // clipboard.copied payloads
    prompts: {}, // requestId -> consent details
    answers: [], // consent.answer payloads
    calls: [], // every request's type
    unlockDelayMs: 0,
    nextId: 1,
    /** Replace parts of the state from a test. */
    seed(patch) { Object.assign(mock, patch); },
  };
  globalThis.__mock = mock;

  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  function base32(text) {
    const clean = text.replace(/[\s=]/g, '').toUpperCase();
    if (!clean) throw named('InvalidEntry', 'the secret is empty');
    let bits = 0;
    let value = 0;
    const out = [];
    for (let i = 0; i < clean.length; i++) {
      const v = B32.indexOf(clean[i]);
      if (v < 0) throw named('InvalidEntry', `the secret is not valid base32: unexpected character '${clean[i]}' at position ${i}`);
      value = (value << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    return new Uint8Array(out);
  }

  async function codeAt(secret, counter, digits) {
    const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    const msg = new DataView(new ArrayBuffer(8));
    msg.setUint32(0, Math.floor(counter / 2 ** 32));
    msg.setUint32(4, counter >>> 0);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, msg.buffer));
    const o = mac[19] & 15;
    const n = ((mac[o] & 127) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
    return String(n % 10 ** digits).padStart(digits, '0');
  }

  function parse(text, label) {
    const t = text.trim();
    if (!/^otpauth:/i.test(t)) return { secret: base32(t), issuer: null, account: label || '', period: 30, digits: 6 };
    const url = new URL(t);
    const type = url.host.toLowerCase();
    if (type !== 'totp') throw named('InvalidEntry', `unsupported otpauth type '${type}' (expected totp or hotp)`);
    const name = decodeURIComponent(url.pathname.slice(1));
    const [prefix, account] = name.includes(':') ? name.split(/:(.*)/s) : [null, name];
    const secretParam = url.searchParams.get('secret');
    if (!secretParam) throw named('InvalidEntry', 'missing secret parameter');
    return {
      secret: base32(secretParam),
      issuer: url.searchParams.get('issuer') || prefix,
      account: account.trim(),
      period: Number(url.searchParams.get('period') || 30),
      digits: Number(url.searchParams.get('digits') || 6),
      uri: t,
    };
  }

  async function summary(entry, now = Date.now()) {
    const s = Math.floor(now / 1000);
    return {
      id: entry.id, label: entry.label, issuer: entry.issuer, account: entry.account, aws: entry.aws ?? {},
      code: await codeAt(entry.secret, Math.floor(s / entry.period), entry.digits),
      secondsRemaining: entry.period - (s % entry.period), period: entry.period,
    };
  }

  const unlocked = () => {
    if (mock.vault === 'none') throw named('NoVault', 'no vault yet');
    if (mock.vault !== 'unlocked') throw named('VaultLocked', 'the vault is locked');
  };
  const checkPassword = (password) => {
    if (password !== mock.password) throw named('WrongPassword', 'wrong password');
  };
  const find = (list, id) => {
    const item = list.find((x) => x.id === id);
    if (!item) throw named('NotFound', `no entry with id ${id}`);
    return item;
  };

  const handlers = {
    'vault.status': () => ({ state: mock.vault }),
    'vault.create': ({ password }) => { mock.password = password; mock.vault = 'unlocked'; return { state: 'unlocked' }; },
    'vault.unlock': async ({ password }) => {
      if (mock.vault === 'none') throw named('NoVault', 'no vault yet');
      if (mock.unlockDelayMs) await new Promise((r) => setTimeout(r, mock.unlockDelayMs));
      checkPassword(password);
      mock.vault = 'unlocked';
      return { state: 'unlocked' };
    },
    'vault.lock': () => { if (mock.vault !== 'none') mock.vault = 'locked'; return { state: mock.vault }; },
    'vault.changePassword': ({ oldPassword, newPassword }) => { unlocked(); checkPassword(oldPassword); mock.password = newPassword; return null; },
    'keys.list': () => { unlocked(); return mock.keys; },
    'keys.update': ({ id, label, aws }) => {
      unlocked();
      const key = find(mock.keys, id);
      if (label !== undefined) key.label = label;
      if (aws) key.aws = aws;
      return null;
    },
    'keys.delete': ({ id }) => { unlocked(); find(mock.keys, id); mock.keys = mock.keys.filter((k) => k.id !== id); return null; },
    'totp.list': async () => { unlocked(); return Promise.all(mock.totp.map((e) => summary(e))); },
    'totp.add': async ({ text, label, aws }) => {
      unlocked();
      const p = parse(text, label);
      const entry = {
        id: `t${mock.nextId++}`, ...p, aws: aws ?? {},
        label: label?.trim() || (p.issuer ? `${p.issuer}: ${p.account}` : p.account),
      };
      mock.totp.push(entry);
      return summary(entry);
    },
    'totp.update': ({ id, label, aws }) => {
      unlocked();
      const entry = find(mock.totp, id);
      if (label !== undefined) entry.label = label;
      if (aws) entry.aws = aws;
      return null;
    },
    'totp.delete': ({ id }) => { unlocked(); find(mock.totp, id); mock.totp = mock.totp.filter((e) => e.id !== id); return null; },
    'totp.reveal': ({ id, password }) => {
      unlocked();
      checkPassword(password);
      const e = find(mock.totp, id);
      return e.uri || `otpauth://totp/${encodeURIComponent(e.label)}?secret=SECRET&issuer=${encodeURIComponent(e.issuer ?? '')}`;
    },
    'settings.get': () => { unlocked(); return mock.settings; },
    'settings.set': ({ settings }) => { unlocked(); mock.settings = settings; return null; },
    'clipboard.copied': ({ code, copiedAt }) => {
      mock.copied.push({ code, copiedAt });
      const seconds = mock.settings.clearClipboardSeconds;
      return mock.settings.clearClipboard ? { clearAt: copiedAt + seconds * 1000, seconds } : null;
    },
    'consent.get': ({ requestId }) => mock.prompts[requestId] ?? null,
    'consent.answer': (payload) => {
      const { requestId, decision, label } = payload;
      mock.answers.push(label === undefined ? { requestId, decision } : { requestId, decision, label });
      delete mock.prompts[payload.requestId];
      return null;
    },
  };

  chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    (async () => {
      const invalid = validateUiRequest(message);
      if (invalid) return { ok: false, error: { name: 'BadRequest', message: invalid } };
      mock.calls.push(message.type);
      try {
        return { ok: true, value: (await handlers[message.type](message)) ?? null };
      } catch (e) {
        return { ok: false, error: { name: e.name, message: e.message } };
      }
    })().then(sendResponse);
    return true;
  });
}

/** Build the mock extension in a temp dir; `remove()` deletes it. */
export function buildMockExtension() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'softkey-ui-mock-'));
  mkdirSync(path.join(dir, 'extension', 'background'), { recursive: true });
  for (const sub of ['ui', 'shared']) {
    cpSync(path.join(REPO_ROOT, 'extension', sub), path.join(dir, 'extension', sub), { recursive: true });
  }
  writeFileSync(path.join(dir, 'extension', 'background', 'mock-sw.js'),
    `// generated by tests/e2e/lib/ui-mock.mjs\nimport { validateUiRequest } from '../shared/ui-api.js';\n`
    + `(${mockWorkerMain.toString()})(validateUiRequest);\n`);
  const manifest = {
    manifest_version: 3,
    name: 'SoftKey UI mock',
    version: '0.0.1',
    background: { service_worker: 'extension/background/mock-sw.js', type: 'module' },
    action: { default_popup: 'extension/ui/popup.html' },
    permissions: ['storage'],
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
  };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Evaluate `fn(__mock, arg)` in the mock worker, with a timeout (a stopped worker hangs). */
export async function mockWorker(worker, fn, arg) {
  return Promise.race([
    worker.evaluate(`(${fn.toString()})(globalThis.__mock, ${JSON.stringify(arg ?? null)})`),
    new Promise((_, reject) => setTimeout(() => reject(new Error('mock worker did not answer')), 10000)),
  ]);
}
