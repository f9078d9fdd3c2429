// @ts-check
// What the WebAuthn engine (engine.js) and the legacy U2F one (u2f-engine.js) do alike for a
// page's request: its timer and abort, the caller it hands to the core, and the wait for a
// locked vault. Each engine keeps its own errors: WebAuthn's DOMException names, U2F's codes.
import { ask, answer } from './prompts.js';

/**
 * `{origin, topOrigin, options}`: the request as the core's precheck_* and prepare_* calls read it
 * (the options are the page's, already validated where they entered the worker).
 * @template T
 * @param {{origin: string, topOrigin?: string, options: T}} req
 * @returns {import('../../wasm/softkey.js').CeremonyRequest<T>}
 */
export const callerRequest = (req) => ({ origin: req.origin, topOrigin: req.topOrigin, options: req.options });

/** The host of the calling origin: the only caller name a prompt shows (never a string the
 * page chose, such as an RP name or an RP ID). */
export function callerHost(req) {
  try {
    return new URL(req.origin).host;
  } catch (_) {
    return '';
  }
}

/** The requests in flight, each with a signal that its timeout or `abort` fires. */
export function createInflight() {
  const inflight = new Map(); // requestId -> AbortController

  /** Starts `requestId`'s timer: after `ms` its signal aborts with `timedOut()`. Call
   * `release` when the request is over, however it ended. */
  function track(requestId, ms, timedOut) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(timedOut()), ms);
    inflight.set(requestId, controller);
    const release = () => {
      clearTimeout(timer);
      inflight.delete(requestId);
    };
    return { signal: controller.signal, release };
  }

  /** Ends `requestId` early, if it is still in flight. */
  function abort(requestId, reason) {
    inflight.get(requestId)?.abort(reason);
  }

  return { track, abort };
}

/** tabId -> the outcome of the unlock window open for that tab ('unlocked' | 'cancel' | ...). */
const unlockWindows = new Map();

/**
 * Waits for the vault to be unlocked, if it is locked: the unlock window or an unlock elsewhere
 * (the popup), whichever comes first. A tab gets one unlock window however many of its requests
 * wait; the others wait on that one. False when there is no vault. Throws the signal's reason
 * once it aborted, else `refused()` when the window was cancelled.
 */
export async function waitUntilUnlocked(session, req, signal, refused) {
  const state = await session.state();
  if (state === 'none') return false;
  if (state === 'locked') {
    const waiting = session.whenUnlocked(signal);
    let prompt = unlockWindows.get(req.tabId);
    const mine = !prompt;
    if (mine) {
      prompt = ask('unlock.html', req.requestId, { kind: 'unlock', origin: req.origin, host: callerHost(req) }, signal)
        .then((a) => a.decision);
      unlockWindows.set(req.tabId, prompt);
      prompt.finally(() => { if (unlockWindows.get(req.tabId) === prompt) unlockWindows.delete(req.tabId); });
    }
    const outcome = await Promise.race([waiting.then(() => 'unlocked'), prompt]);
    if (outcome !== 'unlocked') {
      if (signal.aborted) throw signal.reason;
      throw refused();
    }
    if (mine) answer(req.requestId, { decision: 'unlocked' }); // closes the unlock window if still open
  }
  return true;
}
