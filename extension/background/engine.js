// @ts-check
// Decides, for each WebAuthn request the router hands over, whether we answer it (sign or
// register with a key in the vault, after the user's consent where needed) or hand it back to
// the browser untouched. The Rust core does every check; this file only sequences prompts,
// storage and timeouts.
//
// Order, so that a page learns nothing and can make SoftKey show nothing it should not:
//  1. the vault-free checks (origin, RP ID, AppID, algorithms, user verification), before any
//     unlock window: another site's RP ID is the browser's SecurityError, a request no key of
//     ours can serve goes to the browser untouched;
//  2. while locked, the password is asked only when the hash index says a key may be ours;
//  3. the core's own checks with the vault open (prepare_*), then consent or silent signing.
//
// Silent signing (the setting "sign in without asking", on by default) applies only to a
// document the user is looking at: the top-level document or a frame of the same site, in the
// active tab of its window, visible and focused, and at most
// SILENT_PER_MINUTE times a minute per tab (a page calling get() in a loop gets asked). Anything
// else asks in the consent window.
import { precheckCreate, precheckGet, keyLabel } from '../../wasm/softkey.js';
import { namedError } from './vault-session.js';
import { ask } from './prompts.js';
import { callerHost, callerRequest, createInflight, waitUntilUnlocked } from './ceremony.js';
import { mark } from './cold-trace.js';

const DEFAULT_TIMEOUT_MS = 300_000;
const MIN_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 600_000;
/** Silent signatures one tab may get in a minute; more ask in the consent window. */
export const SILENT_PER_MINUTE = 12;

const notAllowed = (why) => namedError('NotAllowedError', why);
const busy = () => notAllowed('A request is already pending.');

/** The page's timeout, clamped as Chrome clamps it. */
function timeoutOf(options) {
  const t = Number.isFinite(options.timeout) ? options.timeout : DEFAULT_TIMEOUT_MS;
  return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, t));
}

/** Asks the tab's top frame which AWS account and user the page shows. */
export async function awsContextOf(tabId) {
  try {
    const reply = await chrome.tabs.sendMessage(tabId, { type: 'softkey.awsContext' }, { frameId: 0 });
    return reply && typeof reply === 'object' ? reply : {};
  } catch (_) {
    return {};
  }
}

/**
 * Whether the calling document is in front of the user: its tab is the active one of its window
 * (from the browser: a page cannot claim it), and the document was visible with the page focused
 * when it asked (from our content script in that frame, sent with the request). A frame's own
 * document.hasFocus() is false while the focus is in its parent, so for a frame the focus is
 * asked of the tab's top frame. A minimized window's documents are hidden. Any doubt: no.
 */
export async function inForeground(req) {
  try {
    if (!req.visible) return false;
    if (!(await tabIsActive(req.tabId))) return false;
    if (req.frameId === 0) return req.focused;
    const top = await chrome.tabs.sendMessage(req.tabId, { type: 'softkey.frameState' }, { frameId: 0 });
    return Boolean(top && top.visible === true && top.focused === true);
  } catch (_) {
    return false;
  }
}

/** windowId -> its active tab, kept from the browser's events: asking chrome.tabs.get on every
 * sign-in put a browser round trip on the warm path. Started by createEngine (at the worker's
 * top level, so the events of a restarted worker are not missed); any doubt reads "not active",
 * which only means a prompt. */
const activeTabs = new Map();
let activeTabsKnown = null;
function trackActiveTabs() {
  if (activeTabsKnown) return;
  chrome.tabs.onActivated.addListener(({ tabId, windowId }) => activeTabs.set(windowId, tabId));
  chrome.tabs.onRemoved.addListener((tabId, { windowId }) => {
    if (activeTabs.get(windowId) === tabId) activeTabs.delete(windowId);
  });
  chrome.windows.onRemoved.addListener((windowId) => activeTabs.delete(windowId));
  // What was active before this worker started; an event that came meanwhile is newer.
  activeTabsKnown = chrome.tabs.query({ active: true }).then((tabs) => {
    for (const t of tabs) if (!activeTabs.has(t.windowId)) activeTabs.set(t.windowId, t.id);
  }, () => {});
}

async function tabIsActive(tabId) {
  await activeTabsKnown;
  for (const id of activeTabs.values()) if (id === tabId) return true;
  return false;
}

/** Per tab, the times of its recent silent signatures. */
function silentBudget() {
  const recent = new Map(); // tabId -> [ms]
  return {
    /** Takes one silent signature for `tabId` if its budget allows. */
    take(tabId, now = Date.now()) {
      // Tabs whose last silent signature is a minute old are forgotten: a closed tab never
      // signs again, and a map of every tab ever seen grows the worker's heap without bound.
      for (const [id, past] of recent) if (now - past[past.length - 1] >= 60_000) recent.delete(id);
      const times = (recent.get(tabId) ?? []).filter((t) => now - t < 60_000);
      if (times.length >= SILENT_PER_MINUTE) {
        recent.set(tabId, times);
        return false;
      }
      times.push(now);
      recent.set(tabId, times);
      return true;
    },
  };
}

/** @typedef {import('../../wasm/softkey.js').RegistrationResponseJson} RegistrationResponseJson */
/** @typedef {import('../../wasm/softkey.js').AuthenticationResponseJson} AuthenticationResponseJson */
/**
 * What the router sends back: the core's response, or "let the browser answer".
 * @template C
 * @typedef {{kind: 'credential', credential: C} | {kind: 'fallback'}} Outcome
 */

/**
 * @param {import('./vault-session.js').VaultSession} session
 */
export function createEngine(session) {
  trackActiveTabs();
  const inflight = createInflight();
  const budget = silentBudget();

  const track = (req) => inflight.track(req.requestId, timeoutOf(req.options), () => notAllowed('The request timed out.'));

  /** Opens the unlock window if needed and waits for the vault; false if there is no vault. */
  const unlocked = (req, signal) => waitUntilUnlocked(session, req, signal,
    () => notAllowed('The vault was not unlocked.'));

  /**
   * The core's vault-free checks; throws the browser's error for a request it would refuse.
   * @param {typeof precheckGet | typeof precheckCreate} check
   * @returns {Promise<import('../../wasm/softkey.js').Precheck>}
   */
  async function precheck(check, req) {
    await session.wasm;
    return check(callerRequest(req));
  }

  /** Where the page showed an embedding site, the prompt says so. */
  const embeddedIn = (req, check) => (req.topOrigin && !check.sameSite ? new URL(req.topOrigin).host : undefined);

  /** @returns {Promise<Outcome<AuthenticationResponseJson>>} */
  async function getAssertion(req) {
    mark('get');
    const check = await precheck(precheckGet, req);
    if (check.kind === 'notOurs') return { kind: 'fallback' };
    // Asked now, while the core works: where the user was looking when the page asked (an unlock
    // window would have the focus later), and off the warm path's critical time.
    const foreground = check.sameSite ? inForeground(req) : Promise.resolve(false);
    // Ours: the counter reservation of a vault being opened is written as soon as it is open.
    session.reserveCounters();
    const { signal, release } = track(req);
    try {
      if ((await session.state()) !== 'unlocked') {
        // Locked: only nag for the password when one of our credentials could be meant.
        const ids = (req.options.allowCredentials ?? []).map((d) => d.id);
        if (!(await session.mightHold(ids, check.rpId))) return { kind: 'fallback' };
      }
      if (!(await unlocked(req, signal))) return { kind: 'fallback' };
      // And of a vault just unlocked (no-op when it has one).
      session.reserveCounters();
      mark('prepare');
      const decision = await session.read((k) => k.prepareGet(req.requestId, callerRequest(req)));
      mark('prepared');
      if (decision.kind === 'notOurs') return { kind: 'fallback' };
      const settings = await session.settings();
      const silent = settings.autoApproveSignIn && !decision.credential.askBeforeSignIn && check.sameSite
        && (await foreground) && budget.take(req.tabId);
      if (!silent) {
        const reply = await ask('consent.html', req.requestId, {
          kind: 'get',
          host: callerHost(req),
          origin: req.origin,
          embeddedIn: embeddedIn(req, check),
          userName: decision.credential.userName,
          label: decision.credential.label,
          aws: decision.credential.aws,
        }, signal, req.tabId);
        if (reply.decision === 'busy') throw busy();
        if (reply.decision === 'fallback') return { kind: 'fallback' };
        if (reply.decision !== 'approve') throw signal.aborted ? signal.reason : notAllowed('The user cancelled.');
        session.touch();
      }
      if (signal.aborted) throw signal.reason;
      const credential = await session.mutate((k) => {
        mark('finish-start');
        const answer = k.finishGet(req.requestId, Date.now());
        mark('finished');
        return answer;
      });
      mark('signed');
      return { kind: 'credential', credential };
    } finally {
      release();
      session.read((k) => k.cancel(req.requestId)).catch(() => {});
    }
  }

  /** A key of ours is in excludeCredentials: say so only after the user saw a prompt, as a
   * security key answers only once touched, so a page cannot probe which keys we hold.
   * @returns {Promise<never>} */
  async function excluded(req, signal, error) {
    const reply = await ask('consent.html', req.requestId, {
      kind: 'excluded',
      host: callerHost(req),
      origin: req.origin,
    }, signal, req.tabId);
    if (reply.decision === 'busy') throw busy();
    if (signal.aborted) throw signal.reason;
    if (reply.decision === 'approve') throw error;
    throw notAllowed('The user cancelled.');
  }

  /** @returns {Promise<Outcome<RegistrationResponseJson>>} */
  async function makeCredential(req) {
    const check = await precheck(precheckCreate, req);
    if (check.kind === 'notOurs') return { kind: 'fallback' };
    const { signal, release } = track(req);
    try {
      if (!(await unlocked(req, signal))) return { kind: 'fallback' };
      let decision;
      try {
        decision = await session.read((k) => k.prepareCreate(req.requestId, callerRequest(req)));
      } catch (e) {
        if (e && e.name === 'InvalidStateError') return await excluded(req, signal, e);
        throw e;
      }
      if (decision.kind === 'notOurs') return { kind: 'fallback' };
      const page = await awsContextOf(req.tabId);
      const aws = { account: page.account ?? undefined, user: page.user ?? decision.userName };
      // An Identity Center or Builder ID key belongs to a directory (from the URL, through the
      // site table), and a multi-session console names its account in its host.
      const site = await session.siteOf(req.url ?? `${req.origin}/`).catch(() => null);
      if (site?.directory) aws.directory = site.directory;
      else if (!aws.account && site?.account) aws.account = site.account;
      const reply = await ask('consent.html', req.requestId, {
        kind: 'create',
        host: callerHost(req),
        origin: req.origin,
        embeddedIn: embeddedIn(req, check),
        userName: decision.userName,
        aws,
        label: keyLabel(decision.rpId, aws),
      }, signal, req.tabId);
      if (reply.decision === 'busy') throw busy();
      if (reply.decision === 'fallback') return { kind: 'fallback' };
      if (reply.decision !== 'approve') throw signal.aborted ? signal.reason : notAllowed('The user cancelled.');
      session.touch();
      const credential = await session.mutate((k) => k.finishCreate(req.requestId, { label: reply.label, aws }, Date.now()));
      return { kind: 'credential', credential };
    } finally {
      release();
      session.read((k) => k.cancel(req.requestId)).catch(() => {});
    }
  }

  function abort({ requestId }) {
    inflight.abort(requestId, namedError('AbortError', 'The request was aborted.'));
  }

  return { getAssertion, makeCredential, abort };
}
