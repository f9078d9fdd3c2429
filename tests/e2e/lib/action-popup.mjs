// The extension's real toolbar popup, opened as a click on the toolbar button would open it:
// CDP Extensions.triggerAction (needs --enable-unsafe-extension-debugging and Playwright's
// --remote-debugging-pipe), which also grants activeTab for the tab, so the popup can call
// chrome.tabs.captureVisibleTab. Playwright does not pick up the popup as a Page, so it is driven
// through Target.sendMessageToTarget with Runtime.evaluate.

export const ACTION_ARGS = ['--enable-unsafe-extension-debugging'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens the action popup over `page` (its tab must have a unique URL).
 * @returns {Promise<{evaluate: (fn: Function, arg?: any) => Promise<any>, close: () => Promise<void>}>}
 */
export async function openActionPopup(context, extensionId, page) {
  const cdp = await context.browser().newBrowserCDPSession();
  const targets = async (filter) => (await cdp.send('Target.getTargets', filter ? { filter } : {})).targetInfos;
  const tab = (await targets([{ type: 'tab' }])).find((t) => t.url === page.url());
  if (!tab) throw new Error(`no tab target for ${page.url()}`);
  const popupUrl = `chrome-extension://${extensionId}/extension/ui/popup.html`;
  for (const t of await targets()) if (t.url === popupUrl && t.type === 'page') await cdp.send('Target.closeTarget', { targetId: t.targetId });
  await page.bringToFront();
  await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
  let popup;
  for (let i = 0; i < 50 && !popup; i++) {
    popup = (await targets()).find((t) => t.url === popupUrl && t.type === 'page');
    if (!popup) await sleep(100);
  }
  if (!popup) throw new Error('the action popup did not open');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: popup.targetId, flatten: false });
  let next = 0;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const m = JSON.parse(event.message);
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  });
  const send = (method, params) => new Promise((resolve) => {
    const id = ++next;
    pending.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  });
  return {
    /** Runs `fn(arg)` in the popup (awaited) and returns its JSON-able result. */
    async evaluate(fn, arg) {
      const m = await send('Runtime.evaluate', {
        expression: `(${fn})(${JSON.stringify(arg ?? null)})`, awaitPromise: true, returnByValue: true,
      });
      if (m.error) throw new Error(m.error.message);
      if (m.result.exceptionDetails) throw new Error(m.result.exceptionDetails.exception?.description ?? 'popup script failed');
      return m.result.result.value;
    },
    async close() {
      await cdp.send('Target.closeTarget', { targetId: popup.targetId }).catch(() => {});
      await cdp.detach().catch(() => {});
    },
  };
}
