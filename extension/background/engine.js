// Decides, for each WebAuthn request the router hands over, whether we answer it (sign or
// register with a key in the vault, after the user's consent where needed) or hand it back to
// the browser untouched. The Rust core does every check; this file only sequences prompts,
// storage and timeouts.
import { namedError } from './vault-session.js';
import { ask } from './prompts.js';
import { callerJson, createInflight, waitUntilUnlocked } from './ceremony.js';
import { mark } from './cold-trace.js';

const DEFAULT_TIMEOUT_MS = 300_000;
const MIN_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 600_000;

const notAllowed = (why) => namedError('NotAllowedError', why);

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
 * @param {import('./vault-session.js').VaultSession} session
 */
export function createEngine(session) {
  const inflight = createInflight();

  const track = (req) => inflight.track(req.requestId, timeoutOf(req.options), () => notAllowed('The request timed out.'));

  /** Opens the unlock window if needed and waits for the vault; false if there is no vault. */
  const unlocked = (req, signal) => waitUntilUnlocked(session, req, signal, req.options.rpId ?? req.options.rp?.id,
    () => notAllowed('The vault was not unlocked.'));

  async function getAssertion(req) {
    mark('get');
    const { signal, release } = track(req);
    try {
      if ((await session.state()) !== 'unlocked') {
        // Locked: only nag for the password when one of our credentials could be meant.
        const ids = (req.options.allowCredentials ?? []).map((d) => d.id);
        const rpId = req.options.rpId ?? new URL(req.origin).hostname;
        if (!(await session.mightHold(ids, rpId))) return { kind: 'fallback' };
      }
      if (!(await unlocked(req, signal))) return { kind: 'fallback' };
      mark('prepare');
      const decision = await session.read((k) => JSON.parse(k.prepareGet(req.requestId, callerJson(req))));
      mark('prepared');
      if (decision.kind === 'notOurs') return { kind: 'fallback' };
      const settings = await session.settings();
      if (!settings.autoApproveSignIn || decision.credential.askBeforeSignIn) {
        const reply = await ask('consent.html', req.requestId, {
          kind: 'get',
          rpId: decision.rpId,
          origin: decision.origin,
          userName: decision.credential.userName,
          label: decision.credential.label,
          aws: decision.credential.aws,
        }, signal);
        if (reply.decision === 'fallback') return { kind: 'fallback' };
        if (reply.decision !== 'approve') throw signal.aborted ? signal.reason : notAllowed('The user cancelled.');
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

  async function makeCredential(req) {
    const { signal, release } = track(req);
    try {
      if (!(await unlocked(req, signal))) return { kind: 'fallback' };
      const decision = await session.read((k) => JSON.parse(k.prepareCreate(req.requestId, callerJson(req))));
      if (decision.kind === 'notOurs') return { kind: 'fallback' };
      const page = await awsContextOf(req.tabId);
      const aws = { account: page.account ?? undefined, user: page.user ?? decision.userName };
      const reply = await ask('consent.html', req.requestId, {
        kind: 'create',
        rpId: decision.rpId,
        rpName: decision.rpName,
        origin: decision.origin,
        userName: decision.userName,
        aws,
        label: `${decision.rpName || decision.rpId} · ${aws.user}${aws.account ? ` · ${aws.account}` : ''}`,
      }, signal);
      if (reply.decision === 'fallback') return { kind: 'fallback' };
      if (reply.decision !== 'approve') throw signal.aborted ? signal.reason : notAllowed('The user cancelled.');
      const meta = JSON.stringify({ label: reply.label, aws });
      const credential = await session.mutate((k) => k.finishCreate(req.requestId, meta, Date.now()));
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
