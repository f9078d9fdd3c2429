// The service-worker side of TOTP on AWS pages: codes for the sign-in MFA prompt
// (content/mfa-fill.js), new entries from the IAM "Authenticator app" step
// (content/mfa-capture.js) and from Amazon.com's two-step verification setup
// (content/amazon-capture.js).
//
// Trust: only our own content scripts in a tab may ask, and the page's origin comes only from
// the browser (sender.origin, else sender.url), never from the message. A message from any other
// origin gets no answer at all. Which entries fit is decided by the Rust core
// (Keyring.mfaCandidates, wasm/core/src/mfa_match.rs); this file checks, routes and remembers.
//
// A QR code on the IAM page (mfa.captureQr, defined in shared/messages.js) is decoded here by
// the separate QR wasm module, handed in as `decodeQr` so this file loads without it in tests.
//
// chrome.storage.local 'mfaChoices': { <sha256(site, account, user, email)>: entryId } — which
// entry the user picked when several fit. Only hashes and entry ids, never a code or a secret.

import '../shared/messages.js';

const M = globalThis.SoftKeyMessages;
const CHOICES = 'mfaChoices';
const AWS_ISSUER = 'Amazon Web Services';
const MAX_CHOICES = 200;
/** Below this many seconds left, a sign-in code is not used: the page is told to ask again. */
const MIN_SIGNIN_SECONDS = 3;
/** Below this many seconds left, the setup pair starts at the next step. */
const MIN_PAIR_SECONDS = 5;
/** Below this many seconds left, Amazon.com's single setup code is the next step's. */
const MIN_SETUP_CODE_SECONDS = 3;

const SIGNIN_HOST = /^(?:signin\.aws\.amazon\.com|[a-z0-9-]+\.signin\.aws\.amazon\.com)$/;
const AMAZON_HOST = /^www\.amazon\.com$/;
const CONSOLE_HOST = /^(?:[a-z0-9-]+\.)?console\.aws\.amazon\.com$/;
/** Amazon.com's two-step verification settings ([guess]: see content/amazon-capture.js). */
const AMAZON_SETUP_PATH = '/a/settings/approval/';

/** Counters for tests and debugging (no codes, no secrets). `replies` counts the answers sent,
 * by `<message type>:<kind>` (kind: the answer's first key of REPLY_KINDS), so a test can wait
 * for the answer a page got instead of sleeping. */
export const mfaStats = { answered: 0, refused: 0, invalid: 0, qrRead: 0, qrUnread: 0, replies: {} };
const REPLY_KINDS = ['code', 'codes', 'choices', 'wait', 'none', 'locked', 'error'];

function countReply(type, value) {
  const key = `${type}:${REPLY_KINDS.find((k) => value && typeof value === 'object' && k in value) ?? 'other'}`;
  mfaStats.replies[key] = (mfaStats.replies[key] ?? 0) + 1;
}

/**
 * Where a message may come from, from the browser-supplied sender only:
 * 'signin' (AWS sign-in host), 'amazon' (www.amazon.com/ap/...), 'amazonSetup'
 * (www.amazon.com/a/settings/approval/...), 'console', or null.
 */
export function senderSite(sender) {
  let url;
  try {
    // sender.origin is the frame's origin as the browser knows it; sender.url adds the path.
    url = new URL(sender.url);
  } catch (_) {
    return null;
  }
  const origin = typeof sender.origin === 'string' ? sender.origin : url.origin;
  if (origin !== url.origin || url.protocol !== 'https:' || url.port !== '' || url.username || url.password) return null;
  const host = url.hostname;
  if (SIGNIN_HOST.test(host)) return 'signin';
  if (AMAZON_HOST.test(host) && url.pathname.startsWith('/ap/')) return 'amazon';
  if (AMAZON_HOST.test(host) && url.pathname.startsWith(AMAZON_SETUP_PATH)) return 'amazonSetup';
  if (CONSOLE_HOST.test(host)) return 'console';
  return null;
}

/** The core's name (MfaSite in wasm/core/src/mfa_match.rs) of a sign-in site of senderSite. */
const matchSite = (site) => (site === 'amazon' ? 'amazon' : 'aws');

/**
 * Whether to submit after filling on `site` (senderSite's 'signin' or 'amazon'): the vault's
 * Settings.autoSubmit, {aws, amazon} (wasm/core/src/contents.rs). Anything but an explicit
 * false is on, as the core's default is.
 */
export function autoSubmitFor(settings, site) {
  return settings?.autoSubmit?.[matchSite(site)] !== false;
}

const isStr = (v, max) => typeof v === 'string' && v.length <= max;
const optStr = (v, max) => v === undefined || v === null || isStr(v, max);
const SECRET_RE = /^[A-Za-z2-7]+=*$/;
const ID_RE = /^[0-9a-f]{1,64}$/;
const EMAIL_RE = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$/;
const base32Secret = (v) => isStr(v, 256) && SECRET_RE.test(v.replace(/\s+/g, '')) &&
  v.replace(/\s+/g, '').replace(/=+$/, '').length >= 16;

/** Field checks per message type; each returns true when the message is well formed. */
const VALID = {
  'mfa.code': (m) => optStr(m.account, 128) && optStr(m.user, 128) && optStr(m.email, 256),
  'mfa.remember': (m) => optStr(m.account, 128) && optStr(m.user, 128) && optStr(m.email, 256) &&
    isStr(m.entryId, 64) && ID_RE.test(m.entryId),
  'mfa.capture': (m) => base32Secret(m.secret) &&
    isStr(m.deviceName, 128) && m.deviceName.trim() !== '' &&
    optStr(m.account, 128) && optStr(m.user, 128) && optStr(m.arn, 512),
  // {secret, email?} → {entryId, label, code} | {locked} | {none} | {error}
  'mfa.amazonCapture': (m) => base32Secret(m.secret) &&
    (m.email === undefined || (isStr(m.email, 256) && EMAIL_RE.test(m.email.trim()))),
  'mfa.captureQr': (m) => M.validateQrCaptureRequest(m).ok,
};
/** Which sites may send which messages. */
const ALLOWED = {
  'mfa.code': ['signin', 'amazon'],
  'mfa.remember': ['signin', 'amazon'],
  'mfa.capture': ['console'],
  'mfa.amazonCapture': ['amazonSetup'],
  'mfa.captureQr': ['console'],
};

const clean = (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

async function sha256hex(text) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function choiceKey(site, { account, user, email }) {
  const norm = (v) => (clean(v) ?? '').toLowerCase();
  return sha256hex(['softkey-mfa-choice', site, norm(account).replace(/[-\s]/g, ''), norm(user), norm(email)].join('\n'));
}

/**
 * @param {import('./vault-session.js').VaultSession} session
 * @param {{decodeQr?: (rgba: Uint8Array, width: number, height: number) => Promise<string[]>,
 *   runtime?: typeof chrome.runtime, storage?: chrome.storage.StorageArea, now?: () => number}} [deps]
 */
export function attachMfaHandlers(session, {
  decodeQr = async () => { throw Object.assign(new Error('no QR reader here'), { name: 'NoQrFound' }); },
  runtime = globalThis.chrome?.runtime,
  storage = globalThis.chrome?.storage?.local,
  now = () => Date.now(),
} = {}) {
  async function remembered(site, fields) {
    const key = await choiceKey(site, fields);
    const { [CHOICES]: choices } = await storage.get(CHOICES);
    return { key, choices: choices ?? {}, entryId: choices?.[key] };
  }

  async function candidates(site, m, rememberedId) {
    const query = {
      site: matchSite(site),
      account: clean(m.account),
      user: clean(m.user),
      email: clean(m.email),
      remembered: rememberedId,
    };
    return session.read((k) => ({
      list: JSON.parse(k.mfaCandidates(JSON.stringify(query), now())),
      settings: JSON.parse(k.settings()),
    }));
  }

  /** A code, or a wait when it is about to change. `site` is senderSite's, never the page's. */
  function codeAnswer(entry, settings, site) {
    if (typeof entry.secondsRemaining === 'number' && entry.secondsRemaining < MIN_SIGNIN_SECONDS) {
      const periodMs = (entry.period || 30) * 1000;
      return { wait: periodMs - (now() % periodMs) + 250 };
    }
    return { code: entry.code, entryId: entry.id, label: entry.label, autoSubmit: autoSubmitFor(settings, site) };
  }

  async function gate() {
    const state = await session.state();
    if (state === 'locked') return { locked: true };
    if (state !== 'unlocked') return { none: true };
    return null;
  }

  const handlers = {
    'mfa.code': async (m, site) => {
      const blocked = await gate();
      if (blocked) return blocked;
      const { entryId } = await remembered(site, m);
      const { list, settings } = await candidates(site, m, entryId);
      if (list.length === 0) return { none: true };
      if (list.length === 1) return codeAnswer(list[0], settings, site);
      return { choices: list.map((e) => ({ id: e.id, label: e.label })) };
    },
    'mfa.remember': async (m, site) => {
      const blocked = await gate();
      if (blocked) return blocked;
      // Only an entry that fits this account and user may be remembered for it.
      const { list, settings } = await candidates(site, m, undefined);
      const entry = list.find((e) => e.id === m.entryId);
      if (!entry) return { none: true };
      const { key, choices } = await remembered(site, m);
      const next = { ...choices, [key]: entry.id };
      const keys = Object.keys(next);
      for (const old of keys.slice(0, Math.max(0, keys.length - MAX_CHOICES))) delete next[old];
      await storage.set({ [CHOICES]: next });
      return codeAnswer(entry, settings, site);
    },
    'mfa.capture': async (m) => {
      const blocked = await gate();
      if (blocked) return blocked;
      const secret = m.secret.replace(/\s+/g, '').toUpperCase();
      const { account } = awsOf(m);
      const labelAccount = account ? `${m.deviceName.trim()}@${account}` : m.deviceName.trim();
      const uri = `otpauth://totp/${encodeURIComponent(AWS_ISSUER)}:${encodeURIComponent(labelAccount)}` +
        `?secret=${secret}&issuer=${encodeURIComponent(AWS_ISSUER)}`;
      return addCaptured(uri, m, { issuer: AWS_ISSUER, account: labelAccount });
    },
    'mfa.captureQr': async (m) => {
      const blocked = await gate();
      if (blocked) return blocked;
      let uri = null;
      let unread = null;
      if (m.image) {
        try {
          const texts = await decodeQr(M.b64urlToBytes(m.image.rgba), m.image.width, m.image.height);
          mfaStats.qrRead++;
          uri = texts.find((t) => /^otpauth:\/\//i.test(t.trim()))?.trim() ?? null;
          if (!uri) unread = 'the QR code on this page is not an authenticator (otpauth://) code';
        } catch (e) {
          mfaStats.qrUnread++;
          unread = e?.message ?? String(e);
        }
      }
      if (!uri) {
        // The QR code could not be read: the secret shown as text is what the user would type.
        if (m.secret) return handlers['mfa.capture']({ ...m, type: 'mfa.capture' });
        return { error: 'no-qr', message: unread ?? 'no QR code could be read on this page' };
      }
      let info;
      try {
        info = await session.otpauthInfo(uri, m.secret ?? '');
      } catch (e) {
        return { error: 'invalid', message: e?.message ?? String(e) };
      }
      // A page that shows one secret as text and another in its QR code is not to be trusted.
      if (info.sameSecret === false) return { error: 'mismatch' };
      return addCaptured(uri, m, info);
    },
    'mfa.amazonCapture': async (m) => {
      const blocked = await gate();
      if (blocked) return blocked;
      const secret = m.secret.replace(/\s+/g, '').toUpperCase();
      const email = clean(m.email)?.toLowerCase();
      // Amazon's own URI names the e-mail; mfa_match finds the entry by it at sign-in.
      const issuer = 'Amazon';
      const account = email ?? 'Amazon.com';
      const uri = `otpauth://totp/${issuer}:${encodeURIComponent(account)}?secret=${secret}&issuer=${issuer}`;
      const label = email ? `Amazon.com (${email})` : 'Amazon.com';
      let entry;
      try {
        entry = await session.mutate((k) => k.addTotp(uri, JSON.stringify({ label }), now()));
      } catch (e) {
        if (e?.name !== 'BadRequest' || !/already in the vault/.test(e.message)) throw e;
        const same = (await session.read((k) => JSON.parse(k.totpCodes(now()))))
          .filter((c) => c.issuer === issuer && c.account === account);
        if (same.length !== 1) return { error: 'duplicate' };
        entry = same[0];
      }
      // One code, from the next step when this one is about to end (the user still has to
      // press the button); the pair's first code is exactly that. The core counts whole
      // seconds left, rounded up (3 means 2.x s), hence the + 1.
      const [code] = await session.read((k) => JSON.parse(k.totpPair(entry.id, now(), MIN_SETUP_CODE_SECONDS + 1)));
      return { entryId: entry.id, label: entry.label, code };
    },
  };

  function awsOf(m) {
    return { account: clean(m.account)?.replace(/-/g, ''), user: clean(m.user), arn: clean(m.arn) };
  }

  /** Stores `uri` with the page's AWS context and answers two consecutive codes. */
  async function addCaptured(uri, m, { issuer, account: labelAccount }) {
    const aws = awsOf(m);
    const device = m.deviceName.trim();
    const label = aws.account ? `${device} (AWS ${aws.account})` : device;
    let entry;
    try {
      entry = await session.mutate((k) => k.addTotp(uri, JSON.stringify({ label, aws }), now()));
    } catch (e) {
      if (e?.name === 'InvalidEntry') return { error: 'invalid', message: e.message };
      if (e?.name !== 'BadRequest' || !/already in the vault/.test(e.message)) throw e;
      // Captured before (the user pressed the button again): use the stored entry if it is
      // the only one under this label.
      const same = (await session.read((k) => JSON.parse(k.totpCodes(now()))))
        .filter((c) => c.issuer === issuer && c.account === labelAccount);
      if (same.length !== 1) return { error: 'duplicate' };
      entry = same[0];
    }
    const [code1, code2] = await session.read((k) => JSON.parse(k.totpPair(entry.id, now(), MIN_PAIR_SECONDS)));
    return { entryId: entry.id, label: entry.label, codes: [code1, code2] };
  }

  runtime.onMessage.addListener((message, sender, sendResponse) => {
    const type = message && typeof message === 'object' ? message.type : undefined;
    if (!Object.hasOwn(handlers, type)) return false;
    // Our own content scripts in a tab, on exactly the hosts above; anything else: silence.
    if (!sender || sender.id !== runtime.id || !sender.tab || typeof sender.url !== 'string') {
      mfaStats.refused++;
      return false;
    }
    const site = senderSite(sender);
    if (!site || !ALLOWED[type].includes(site)) {
      mfaStats.refused++;
      return false;
    }
    if (!VALID[type](message)) {
      mfaStats.invalid++;
      sendResponse({ error: 'bad-request' });
      return false;
    }
    handlers[type](message, site).then(
      (value) => { mfaStats.answered++; countReply(type, value); sendResponse(value); },
      (e) => sendResponse({ error: e?.name === 'VaultLocked' ? 'locked' : 'failed' }),
    );
    return true;
  });
  // Read by the e2e tests through the worker (counters only).
  globalThis.softkeyMfaStats = mfaStats;
  return { stats: mfaStats };
}
