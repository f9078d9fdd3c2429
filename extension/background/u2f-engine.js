// @ts-check
// The legacy FIDO U2F JavaScript API (u2f.register / u2f.sign) on AWS pages, answered with the
// vault's keys. The Rust core does every check (AppID against the origin, which key answers)
// and builds the responses; this file sequences the unlock and consent windows, storage and
// timeouts, as engine.js does for WebAuthn.
//
// There is no browser U2F to hand a request to (Chrome removed its U2F support in 2022), so
// every outcome is an answer: the response, or an error whose name is one of the messages'
// U2F_ERROR_NAMES, which the page turns into the API's error code.
import '../shared/messages.js';
import { namedError } from './vault-session.js';
import { ask } from './prompts.js';
import { awsContextOf, inForeground } from './engine.js';
import { callerHost, callerRequest, createInflight, waitUntilUnlocked } from './ceremony.js';

const M = globalThis.SoftKeyMessages;
const DEFAULT_TIMEOUT_S = 30;

const u2fFailure = (name, why) => namedError(name, why);

/** Any failure as a U2F error result; a timeout or the page giving up is TIMEOUT. */
function errorResult(e) {
  const name = e && typeof e.name === 'string' ? e.name : '';
  const message = e && typeof e.message === 'string' ? e.message : 'The U2F request failed.';
  if (name in M.U2F_ERROR_NAMES) return M.error(name, message);
  if (name === 'AbortError') return M.error('U2fTimeout', message);
  return M.error('U2fOtherError', message);
}

/**
 * @param {import('./vault-session.js').VaultSession} session
 */
export function createU2fEngine(session) {
  const inflight = createInflight();

  const track = (req) => inflight.track(req.requestId, (req.options.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000,
    () => u2fFailure('U2fTimeout', 'The request timed out.'));

  /** Opens the unlock window (naming the caller's host) if needed; false if there is no vault. */
  const unlocked = (req, signal) => waitUntilUnlocked(session, req, signal,
    () => u2fFailure('U2fOtherError', 'The vault was not unlocked.'));
  const busy = () => u2fFailure('U2fOtherError', 'A request is already pending.');

  /**
   * Asks in the consent window about `req` (`details`: what it shows; the caller's host and the
   * absence of a browser to fall back to are added here). Resolves with the reply once approved;
   * a window already open for another request, a decline, or the page giving up throws.
   * @param {any} req
   * @param {Record<string, unknown>} details
   * @param {AbortSignal} signal
   * @param {string} declined the error's message when the user says no
   */
  async function approved(req, details, signal, declined) {
    const reply = await ask('consent.html', req.requestId, { host: callerHost(req), ...details, noFallback: true },
      signal, req.tabId);
    if (reply.decision === 'busy') throw busy();
    if (reply.decision !== 'approve') {
      if (signal.aborted) throw signal.reason;
      throw u2fFailure('U2fOtherError', declined);
    }
    session.touch();
    return reply;
  }

  /** Runs one request with its timer; whatever fails becomes a U2F error result. */
  async function run(req, body) {
    const { signal, release } = track(req);
    try {
      return await body(signal);
    } catch (e) {
      return errorResult(e);
    } finally {
      release();
      session.read((k) => k.cancel(req.requestId)).catch(() => {});
    }
  }

  /** u2f.register: always through the consent window. */
  function u2fRegister(req) {
    return run(req, async (signal) => {
      if (!(await unlocked(req, signal))) {
        throw u2fFailure('U2fOtherError', 'SoftKey has no vault yet: set it up from its toolbar button first.');
      }
      const decision = await session.read((k) => k.prepareU2fRegister(req.requestId, callerRequest(req)));
      const page = await awsContextOf(req.tabId);
      const aws = { account: page.account ?? undefined, user: page.user ?? undefined };
      const reply = await approved(req, {
        kind: 'u2fRegister',
        appId: decision.appId,
        origin: decision.origin,
        aws,
        label: ['AWS (legacy U2F)', aws.user, aws.account].filter(Boolean).join(' · '),
      }, signal, 'The user declined the registration.');
      if (signal.aborted) throw signal.reason;
      const credential = await session.mutate((k) => k.finishU2fRegister(req.requestId, { label: reply.label, aws }, Date.now()));
      return M.credential(credential);
    });
  }

  /** u2f.sign: asks first only when sign-in is not auto-approved, or the key says so. */
  function u2fSign(req) {
    return run(req, async (signal) => {
      if ((await session.state()) !== 'unlocked') {
        // Locked: ask for the password only when one of the key handles may be ours.
        const ids = req.options.registeredKeys.map((k) => k.keyHandle.replace(/=+$/, ''));
        if (!ids.length || !(await session.mightHold(ids, ''))) {
          throw u2fFailure('U2fDeviceIneligible', 'none of the site\'s registered security keys is in SoftKey');
        }
      }
      if (!(await unlocked(req, signal))) {
        throw u2fFailure('U2fDeviceIneligible', 'SoftKey has no vault, so it holds none of these keys');
      }
      const decision = await session.read((k) => k.prepareU2fSign(req.requestId, callerRequest(req)));
      const settings = await session.settings();
      // Silent only for a document in front of the user, as for WebAuthn (see engine.js).
      if (!settings.autoApproveSignIn || decision.credential.askBeforeSignIn || !(await inForeground(req))) {
        await approved(req, {
          kind: 'get',
          origin: decision.origin,
          userName: decision.credential.userName,
          label: decision.credential.label,
          aws: decision.credential.aws,
        }, signal, 'The user cancelled.');
      }
      if (signal.aborted) throw signal.reason;
      const credential = await session.mutate((k) => k.finishU2fSign(req.requestId, Date.now()));
      return M.credential(credential);
    });
  }

  function abort({ requestId }) {
    inflight.abort(requestId, u2fFailure('U2fTimeout', 'The page stopped waiting.'));
  }

  return { u2fRegister, u2fSign, abort };
}
