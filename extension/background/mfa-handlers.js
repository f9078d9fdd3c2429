// @ts-check
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
// Every message is declared in shared/messages.js (hop "content") and checked here, once, after
// the sender was placed on a surface that may send it. Failures answer the one error envelope,
// {error: {name, kind, message}}; content scripts branch on `kind`.
//
// A QR code on the IAM page (mfa.captureQr) is decoded here by the separate QR wasm module,
// handed in as `decodeQr` so this file loads without it in tests.
//
// chrome.storage.local 'mfaChoices': { <sha256(site, account, user, email)>: entryId } — which
// entry the user picked when several fit. Only hashes and entry ids, never a code or a secret.

import '../shared/sites.js';
import '../shared/base64url.js';
import '../shared/schema.js';
import '../shared/messages.js';

/** @typedef {import('../../wasm/softkey.js').AwsContext} AwsContext */
/** @typedef {import('../../wasm/softkey.js').SecretCapture} SecretCapture */
/** @typedef {import('../../wasm/softkey.js').TotpCode} TotpCode */

const M = globalThis.SoftKeyMessages;
const B64 = globalThis.SoftKeyBase64url;
const Sites = globalThis.SoftKeySites;
const CHOICES = 'mfaChoices';
const MAX_CHOICES = 200;
/** How long the user's last step through a sign-in lets a code be given out in that tab. */
const FLOW_MS = 15 * 60 * 1000;
/** chrome.storage.session key: {<tabId>: ms of the user's last sign-in step}; survives the worker. */
const FLOWS = 'mfaFlows';
/** Below this many seconds left, a sign-in code is not used: the page is told to ask again. */
const MIN_SIGNIN_SECONDS = 3;
/** Below this many seconds left, the setup pair starts at the next step. */
const MIN_PAIR_SECONDS = 5;
/** Below this many seconds left, Amazon.com's single setup code is the next step's. */
const MIN_SETUP_CODE_SECONDS = 3;

/** Counters for tests and debugging (no codes, no secrets). `replies` counts the answers sent,
 * by `<message type>:<kind>` (kind: the answer's first key of REPLY_KINDS), so a test can wait
 * for the answer a page got instead of sleeping. */
export const mfaStats = {
  answered: 0, refused: 0, invalid: 0, qrRead: 0, qrUnread: 0, filled: 0, confirmed: 0, removed: 0, replies: {},
};
const REPLY_KINDS = ['code', 'codes', 'choices', 'wait', 'none', 'noFlow', 'locked', 'error', 'unconfirmed', 'confirmed', 'removed', 'ok'];

function countReply(type, value) {
  const key = `${type}:${REPLY_KINDS.find((k) => value && typeof value === 'object' && k in value) ?? 'other'}`;
  mfaStats.replies[key] = (mfaStats.replies[key] ?? 0) + 1;
}

/**
 * The surface (shared/sites.js, generated from the Rust site table) a message comes from, from
 * the browser-supplied sender only; null when it is none of ours or the origin is not the URL's.
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
  if (origin !== url.origin || origin === 'null') return null;
  return Sites.surfaceOf(sender.url);
}

/**
 * Whether to submit after filling on `site` (a surface of senderSite): the page must allow it,
 * and the vault's Settings.autoSubmit, {aws, amazon} (wasm/core/src/contents.rs), must not be
 * set off for its side (Amazon.com or AWS). Anything but an explicit false is on, as the core's
 * default is.
 */
export function autoSubmitFor(settings, site) {
  if (!site?.submit) return false;
  return settings?.autoSubmit?.[site.partition === 'amazon' ? 'amazon' : 'aws'] !== false;
}

/** The one error envelope of a reply: {error: {name, kind, message}}. */
const failure = (name, kind, message) => ({ error: M.envelope(name, message, kind) });

/** Which surfaces may send which messages, by what the site table allows there. */
const awsCapture = (s) => s.capture && s.partition !== 'amazon';
const ALLOWED = {
  'mfa.flow': (s) => s.fill,
  'mfa.code': (s) => s.fill,
  'mfa.remember': (s) => s.fill,
  'mfa.capture': awsCapture,
  'mfa.captureQr': awsCapture,
  'mfa.amazonCapture': (s) => s.capture && s.kind === 'amazonSetup',
  'mfa.captureResult': (s) => s.capture,
  'mfa.captureRemove': (s) => s.capture,
  'mfa.captureCodes': (s) => s.capture,
};

const clean = (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

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
  /** The user's earlier choice for this prompt; the core derives its key from the query. */
  async function remembered(m, sender) {
    const key = await session.mfaChoiceKey(queryOf(m, sender, undefined));
    const { [CHOICES]: choices } = await storage.get(CHOICES);
    return { key, choices: choices ?? {}, entryId: choices?.[key] };
  }

  /** The core's MfaQuery: the browser-reported URL decides the site and directory. */
  function queryOf(m, sender, rememberedId) {
    return {
      url: sender.url,
      account: clean(m.account),
      user: clean(m.user),
      email: clean(m.email),
      awsRootFlow: m.awsRootFlow === true,
      remembered: rememberedId,
    };
  }

  async function candidates(m, sender, rememberedId) {
    const query = queryOf(m, sender, rememberedId);
    return session.read((k) => ({
      list: k.mfaCandidates(query, now()),
      settings: k.settings(),
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

  // A code is given out only after the user's own step through the sign-in in that tab, and
  // once per step: a script that plants a code field gets nothing by itself, and gets nothing
  // again by planting another one after a fill.
  const flows = new Map();
  const sessionStore = globalThis.chrome?.storage?.session;
  async function flowOf(tabId) {
    if (flows.has(tabId)) return flows.get(tabId);
    const stored = sessionStore ? (await sessionStore.get(FLOWS))[FLOWS] ?? {} : {};
    return stored[tabId] ?? 0;
  }
  async function setFlow(tabId, at) {
    flows.set(tabId, at);
    if (!sessionStore) return;
    const stored = (await sessionStore.get(FLOWS))[FLOWS] ?? {};
    if (at) stored[tabId] = at;
    else delete stored[tabId];
    await sessionStore.set({ [FLOWS]: stored });
  }
  /** Hands out a code answer only within a fresh user step, which it then uses up. */
  async function withFlow(sender, answer) {
    if (typeof answer?.code !== 'string') return answer;
    const at = await flowOf(sender.tab.id);
    if (!at || now() - at > FLOW_MS) return { noFlow: true };
    await setFlow(sender.tab.id, 0);
    mfaStats.filled++;
    return answer;
  }

  const handlers = {
    'mfa.flow': async (_m, _site, sender) => {
      await setFlow(sender.tab.id, now());
      return { ok: true };
    },
    'mfa.code': async (m, site, sender) => {
      const blocked = await gate();
      if (blocked) return blocked;
      const { entryId } = await remembered(m, sender);
      const { list, settings } = await candidates(m, sender, entryId);
      if (list.length === 0) return { none: true };
      if (list.length === 1) return withFlow(sender, codeAnswer(list[0], settings, site));
      return { choices: list.map((e) => ({ id: e.id, label: e.label })) };
    },
    'mfa.remember': async (m, site, sender) => {
      const blocked = await gate();
      if (blocked) return blocked;
      // Only an entry that fits this account and user may be remembered for it.
      const { list, settings } = await candidates(m, sender, undefined);
      const entry = list.find((e) => e.id === m.entryId);
      if (!entry) return { none: true };
      // The entry itself learns the user (account, directory) the prompt named and it lacked,
      // so the next sign-in needs no choice even in another browser profile after an import.
      const query = queryOf(m, sender, undefined);
      await session.mutate((k) => k.rememberMfaChoice(entry.id, query));
      const { key, choices } = await remembered(m, sender);
      const next = { ...choices, [key]: entry.id };
      const keys = Object.keys(next);
      for (const old of keys.slice(0, Math.max(0, keys.length - MAX_CHOICES))) delete next[old];
      await storage.set({ [CHOICES]: next });
      return withFlow(sender, codeAnswer(entry, settings, site));
    },
    'mfa.capture': async (m, _site, sender) => {
      const blocked = await gate();
      if (blocked) return blocked;
      /** @type {SecretCapture} */
      const capture = { site: 'aws', secret: m.secret, deviceName: m.deviceName };
      const aws = await awsOf(m, sender);
      return answerCapture((k) => k.addCapturedSecret(capture, aws, now()), MIN_PAIR_SECONDS, 2);
    },
    'mfa.captureQr': async (m, site, sender) => {
      const blocked = await gate();
      if (blocked) return blocked;
      /** @type {import('../../wasm/softkey.js').QrCaptureInfo | null} */
      let info = null;
      let unread = null;
      if (m.image) {
        let texts = null;
        try {
          texts = await decodeQr(B64.b64urlToBytes(m.image.rgba), m.image.width, m.image.height);
          mfaStats.qrRead++;
        } catch (e) {
          mfaStats.qrUnread++;
          unread = e?.message ?? String(e);
        }
        if (texts) {
          try {
            info = await session.qrCaptureInfo(texts, m.secret ?? '');
          } catch (e) {
            // A QR code of something else: the secret shown as text may still be there.
            if (e?.kind !== 'notOtpauth') throw e;
            unread = 'the QR code on this page is not an authenticator (otpauth://) code';
          }
        }
      }
      if (!info) {
        // The QR code could not be read: the secret shown as text is what the user would type.
        if (m.secret) return handlers['mfa.capture']({ ...m, type: 'mfa.capture' }, site, sender);
        return failure('NoQrCode', 'noQr', unread ?? 'no QR code could be read on this page');
      }
      // A page that shows one secret as text and another in its QR code is not to be trusted.
      if (info.sameSecret === false) {
        return failure('QrMismatch', 'mismatch', 'the QR code and the secret key on this page differ');
      }
      const aws = await awsOf(m, sender);
      const found = info.uri;
      return answerCapture((k) => k.addCapturedUri(found, m.deviceName, aws, now()), MIN_PAIR_SECONDS, 2);
    },
    'mfa.amazonCapture': async (m) => {
      const blocked = await gate();
      if (blocked) return blocked;
      // Amazon's own URI names the e-mail; mfa_match finds the entry by it at sign-in.
      /** @type {SecretCapture} */
      const capture = {
        site: 'amazon',
        secret: m.secret,
        ...(clean(m.email) ? { email: clean(m.email) } : {}),
        ...(clean(m.signInName) ? { signInName: clean(m.signInName) } : {}),
      };
      return answerCapture((k) => k.addCapturedSecret(capture, null, now()), MIN_SETUP_CODE_SECONDS, 1);
    },
    // The codes of a captured entry again, once the wait a capture answered is over.
    'mfa.captureCodes': async (m, site) => {
      const blocked = await gate();
      if (blocked) return blocked;
      const amazon = site.kind === 'amazonSetup';
      return freshCodes(m.entryId, amazon ? MIN_SETUP_CODE_SECONDS : MIN_PAIR_SECONDS, amazon ? 1 : 2);
    },
    'mfa.captureResult': async (m) => {
      const blocked = await gate();
      if (blocked) return blocked;
      if (!m.accepted) return { unconfirmed: true };
      const entry = await capturedEntry(m.entryId);
      if (!entry) return { none: true };
      if (entry.unconfirmed) {
        await session.mutate((k) => k.confirmTotp(entry.id));
        mfaStats.confirmed++;
      }
      return { confirmed: true };
    },
    // Only an entry still unconfirmed may be removed from a page: the site refused the device,
    // and the user pressed "Remove" on our own notice.
    'mfa.captureRemove': async (m) => {
      const blocked = await gate();
      if (blocked) return blocked;
      const entry = await capturedEntry(m.entryId);
      if (!entry || !entry.unconfirmed) return { none: true };
      await session.mutate((k) => k.deleteTotp(entry.id));
      mfaStats.removed++;
      return { removed: true };
    },
  };

  async function capturedEntry(id) {
    const list = await session.read((k) => k.totpCodes(now()));
    return list.find((c) => c.id === id) ?? null;
  }

  /**
   * `count` consecutive codes that are valid now, or a wait: with fewer than `minSeconds` left in
   * this step the user could not type them in time, and codes of a step that has not started yet
   * would be refused; so the page waits for the next step and asks again (mfa.captureCodes).
   */
  async function freshCodes(id, minSeconds, count) {
    const entry = await capturedEntry(id);
    if (!entry) return failure('NotFound', 'notFound', 'the captured entry is no longer in SoftKey');
    // Exact milliseconds, not the core's whole seconds rounded up (3 there means 2.x s left).
    const periodMs = (entry.period || 30) * 1000;
    const leftMs = periodMs - (now() % periodMs);
    if (leftMs < minSeconds * 1000) return { entryId: id, wait: leftMs + 250 };
    const pair = await session.read((k) => k.totpPair(id, now(), 0));
    return count === 1 ? { entryId: id, code: pair[0] } : { entryId: id, codes: pair };
  }

  /** The AWS context of a capture: the page's account and user, the URL's directory (Identity
   * Center portals, Builder ID) or account (multi-session consoles) where the page names none. */
  async function awsOf(m, sender) {
    const info = sender ? await session.siteOf(sender.url) : null;
    /** @type {AwsContext} */
    const aws = { account: clean(m.account), user: clean(m.user), arn: clean(m.arn) }; // the core reads the ID's dashes
    if (info?.directory) aws.directory = info.directory;
    else if (!aws.account && info?.account) aws.account = info.account;
    if (info?.kind === 'builderIdProfile') aws.directory = 'builder-id';
    return aws;
  }

  /**
   * Stores a capture (the core composes its label and name, and answers the stored entry when
   * it is captured again) and answers `count` codes valid now, or a wait.
   * @param {(k: import('../../wasm/softkey.js').Keyring) => import('../../wasm/softkey.js').Mutation<TotpCode>} add
   * @param {number} minSeconds
   * @param {1 | 2} count
   */
  async function answerCapture(add, minSeconds, count) {
    // The core's refusal (kind invalidEntry, …) reaches the page as the error envelope.
    const entry = await session.mutate(add);
    return { entryId: entry.id, label: entry.label, ...(await freshCodes(entry.id, minSeconds, count)) };
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
    if (!site || !ALLOWED[type](site)) {
      mfaStats.refused++;
      return false;
    }
    const valid = M.validate('content', message);
    if (!valid.ok) {
      mfaStats.invalid++;
      sendResponse(failure('BadRequest', 'badRequest', valid.error));
      return false;
    }
    handlers[type](message, site, sender).then(
      (value) => { mfaStats.answered++; countReply(type, value); sendResponse(value); },
      (e) => { countReply(type, { error: true }); sendResponse({ error: M.envelopeOf(e) }); },
    );
    return true;
  });
  // Read by the e2e tests through the worker (counters only).
  globalThis.softkeyMfaStats = mfaStats;
  return { stats: mfaStats };
}
