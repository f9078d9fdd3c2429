// What the WebAuthn engine (engine.js) and the legacy U2F one (u2f-engine.js) do alike for a
// page's request: its timer and abort, the caller it hands to the core, and the wait for a
// locked vault. Each engine keeps its own errors: WebAuthn's DOMException names, U2F's codes.
import { ask, answer } from './prompts.js';

/** `{origin, topOrigin, options}`: the request as the core's prepare_* calls read it. */
export const callerJson = (req) => JSON.stringify({ origin: req.origin, topOrigin: req.topOrigin, options: req.options });

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

/**
 * Waits for the vault to be unlocked, if it is locked: the unlock window (which names `rpId`)
 * or an unlock elsewhere (the popup), whichever comes first. False when there is no vault.
 * Throws the signal's reason once it aborted, else `refused()` when the window was cancelled.
 */
export async function waitUntilUnlocked(session, req, signal, rpId, refused) {
  const state = await session.state();
  if (state === 'none') return false;
  if (state === 'locked') {
    const waiting = session.whenUnlocked(signal);
    const prompt = ask('unlock.html', req.requestId, { kind: 'unlock', origin: req.origin, rpId }, signal);
    const outcome = await Promise.race([waiting.then(() => 'unlocked'), prompt.then((a) => a.decision)]);
    if (outcome !== 'unlocked') {
      if (signal.aborted) throw signal.reason;
      throw refused();
    }
    answer(req.requestId, { decision: 'unlocked' }); // closes the unlock window if still open
  }
  return true;
}
