// @ts-check
// "Fill MFA code from SoftKey": a context-menu item on any editable field, started by the user.
// It opens a small window that names the field's site (as the browser reports it) and lists the
// codes; only after the user picks one is it typed into the field, and only if the frame is
// still on that site.

const MENU_ID = 'softkey-fill-mfa';

/** Registers the menu item (at install/update; Chrome keeps it across worker restarts). */
export function installFillMenu() {
  chrome.runtime.onInstalled.addListener(() => {
    chrome.contextMenus.create({
      id: MENU_ID,
      title: 'Fill MFA code from SoftKey',
      contexts: ['editable'],
    });
  });
  chrome.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== MENU_ID || !tab?.id) return;
    let origin;
    try {
      origin = new URL(info.frameUrl || info.pageUrl || tab.url).origin;
    } catch (_) {
      return;
    }
    if (origin === 'null') return;
    const params = new URLSearchParams({ tab: String(tab.id), frame: String(info.frameId ?? 0), origin });
    chrome.windows.create({
      url: chrome.runtime.getURL(`extension/ui/fill.html?${params}`),
      type: 'popup',
      width: 420,
      height: 560,
      focused: true,
    });
  });
}

/**
 * Runs in the target frame: types `code` into the focused field, the way a page's framework
 * sees typing, if the frame is still on `expectedOrigin`. Returns what happened.
 */
function typeIntoFocusedField(code, expectedOrigin) {
  if (location.origin !== expectedOrigin) return 'moved';
  const field = document.activeElement;
  const editable = field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement;
  if (!editable || field.disabled || field.readOnly) return 'no-field';
  const proto = field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(field, code);
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
  return 'filled';
}

/** Fills the entry's current code into tab/frame, if it is still on `origin`. */
export async function fillCode(session, { tabId, frameId, origin, entryId }) {
  const codes = await session.read((k) => k.totpCodes(Date.now()));
  const entry = codes.find((c) => c.id === entryId);
  if (!entry) throw Object.assign(new Error('That entry is no longer in SoftKey.'), { name: 'NotFound' });
  const [injection] = await chrome.scripting.executeScript({
    target: { tabId, frameIds: [frameId] },
    func: typeIntoFocusedField,
    args: [entry.code, origin],
  });
  const outcome = injection?.result;
  if (outcome === 'moved') {
    throw Object.assign(new Error(`The page is no longer on ${origin}; nothing was filled.`), { name: 'PageChanged' });
  }
  if (outcome !== 'filled') {
    throw Object.assign(new Error('Click into the code field first, then choose Fill MFA code.'), { name: 'NoField' });
  }
  return null;
}
