// @ts-check
// Small extension windows that ask the user something on behalf of a pending page request:
// consent to register or sign, or unlocking the vault. A window closed without an answer counts
// as "cancel", as does the page's timeout or abort.
//
// One prompt per tab at a time: a page that fires eight create() calls at once gets one window,
// and the other seven are refused at once ({decision: 'busy'}), as Chrome refuses a second
// WebAuthn request while one is pending. Requests without a tab are not limited here.

const pending = new Map(); // requestId -> {details, resolve, windowId, tabId}
const shownForTab = new Map(); // tabId -> requestId of the prompt open for that tab

chrome.windows.onRemoved.addListener((windowId) => {
  for (const [requestId, entry] of pending) {
    if (entry.windowId === windowId) answer(requestId, { decision: 'cancel' });
  }
});

/** Settles a pending prompt; returns false if there was none. */
export function answer(requestId, reply) {
  const entry = pending.get(requestId);
  if (!entry) return false;
  pending.delete(requestId);
  if (entry.tabId !== undefined && shownForTab.get(entry.tabId) === requestId) shownForTab.delete(entry.tabId);
  entry.resolve(reply);
  if (entry.windowId !== undefined && reply.closeWindow !== false) {
    chrome.windows.remove(entry.windowId).catch(() => {});
  }
  return true;
}

/** What a prompt window shows. */
export function details(requestId) {
  return pending.get(requestId)?.details ?? null;
}

/** Whether a prompt is open for the tab. */
export function promptOpenFor(tabId) {
  return shownForTab.has(tabId);
}

/**
 * Opens `page` for `requestId` and resolves with the user's `{decision, label?}`, or
 * `{decision: 'cancel'}` when the window closes or `signal` aborts, or `{decision: 'busy'}` at
 * once when `tabId` already has a prompt open.
 */
export async function ask(page, requestId, promptDetails, signal, tabId) {
  if (tabId !== undefined && shownForTab.has(tabId)) return { decision: 'busy' };
  const result = new Promise((resolve) => {
    pending.set(requestId, { details: promptDetails, resolve, tabId });
  });
  if (tabId !== undefined) shownForTab.set(tabId, requestId);
  if (signal.aborted) answer(requestId, { decision: 'cancel' });
  signal.addEventListener('abort', () => answer(requestId, { decision: 'cancel' }), { once: true });
  try {
    const win = await chrome.windows.create({
      url: chrome.runtime.getURL(`extension/ui/${page}?request=${encodeURIComponent(requestId)}`),
      type: 'popup',
      width: 420,
      height: 560,
      focused: true,
    });
    const entry = pending.get(requestId);
    if (entry) entry.windowId = win.id;
    else chrome.windows.remove(win.id).catch(() => {});
  } catch (e) {
    answer(requestId, { decision: 'cancel' });
  }
  return result;
}
