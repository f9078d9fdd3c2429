// @ts-check
// Empties the clipboard a while after the popup copied a code, if it still holds that code.
//
// The popup cannot do this itself: its timers die with it, and it closes the moment the user
// clicks into the page to paste. A service worker has no clipboard either, so the worker keeps
// the deadline and an offscreen document (extension/offscreen/, reason CLIPBOARD) reads and
// clears the clipboard, only when it still holds our code: something the user copied since is
// never wiped.
//
// Timing. chrome.alarms survives the worker being stopped, but a packed MV3 extension's alarm
// fires no sooner than 30 s after it is set (shorter delays are rounded up; unpacked extensions
// get 1 s). The default delay is 30 s, so the alarm alone would do. A plain timer in the worker
// runs as well, so a shorter clearClipboardSeconds (3 s at least, see Settings in wasm/core) is
// kept while the worker lives, which it does for 30 s after the popup's message. Whichever fires
// first clears; the other finds nothing pending.
//
// chrome.storage.session 'clipboardPending': {code, due} of the latest copy (memory only, like
// the session key); a newer copy replaces it, since the clipboard then holds the newer code.
import { OFFSCREEN_CLEAR_CLIPBOARD } from '../shared/ui-api.js';

const PENDING = 'clipboardPending';
const ALARM = 'softkey-clipboard';
const OFFSCREEN_URL = 'extension/offscreen/clipboard.html';
/** How far in the past the popup's copy time may lie (a slow message, a clock step). */
const MAX_COPY_AGE_MS = 60_000;

/** Counters for tests and debugging (no codes). */
export const clipboardStats = { scheduled: 0, cleared: 0, changed: 0, unreadable: 0, unwritable: 0, failed: 0 };

/** @param {import('./vault-session.js').VaultSession} session */
export function clipboardClearer(session) {
  let timer = 0;
  let running = null;

  function arm(due) {
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, due - Date.now()));
  }

  /** The popup's "copied": schedules the clear, or cancels any pending one when the setting is off. */
  async function copied({ code, copiedAt }) {
    const settings = await session.settings();
    if (!settings.clearClipboard) {
      clearTimeout(timer);
      await chrome.storage.session.remove(PENDING);
      await chrome.alarms.clear(ALARM);
      return null;
    }
    const now = Date.now();
    const from = Math.min(now, Math.max(now - MAX_COPY_AGE_MS, copiedAt));
    const due = from + settings.clearClipboardSeconds * 1000;
    await chrome.storage.session.set({ [PENDING]: { code, due } });
    await chrome.alarms.create(ALARM, { when: due });
    arm(due);
    clipboardStats.scheduled++;
    // The configured delay, for the popup's "Copied · clears in N s".
    return { clearAt: due, seconds: settings.clearClipboardSeconds };
  }

  /** Clears if the pending copy is due; one run at a time (timer and alarm may both fire). */
  function run() {
    running ??= clearIfDue().catch(() => { clipboardStats.failed++; }).finally(() => { running = null; });
    return running;
  }

  async function clearIfDue() {
    const { [PENDING]: pending } = await chrome.storage.session.get(PENDING);
    if (!pending) return;
    if (Date.now() < pending.due) {
      arm(pending.due); // an alarm left from an earlier copy
      return;
    }
    try {
      const outcome = await inOffscreenDocument(pending.code);
      clipboardStats[outcome] = (clipboardStats[outcome] ?? 0) + 1;
    } finally {
      // Forget this copy, unless a newer one replaced it meanwhile.
      const { [PENDING]: latest } = await chrome.storage.session.get(PENDING);
      if (latest && latest.due === pending.due && latest.code === pending.code) {
        await chrome.storage.session.remove(PENDING);
      }
    }
  }

  async function inOffscreenDocument(code) {
    const documentUrl = chrome.runtime.getURL(OFFSCREEN_URL);
    const open = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [documentUrl] });
    if (open.length === 0) {
      await chrome.offscreen.createDocument({
        url: OFFSCREEN_URL,
        reasons: ['CLIPBOARD'],
        justification: 'Empties the clipboard after a one-time code was copied, if it still holds that code.',
      });
    }
    try {
      const reply = await chrome.runtime.sendMessage({ type: OFFSCREEN_CLEAR_CLIPBOARD, code });
      return ['cleared', 'changed', 'unreadable', 'unwritable'].includes(reply?.outcome) ? reply.outcome : 'failed';
    } finally {
      // Nothing else needs it; a document left open would only hold memory.
      await chrome.offscreen.closeDocument().catch(() => {});
    }
  }

  // Read by the e2e tests through the worker (counters only).
  globalThis.softkeyClipboardStats = clipboardStats;
  return { copied, run, isAlarm: (alarm) => alarm.name === ALARM };
}
