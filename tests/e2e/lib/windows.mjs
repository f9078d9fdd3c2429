// Pages in windows of their own. Playwright's newPage() opens every page as a tab of one window,
// where only the newest is the active tab; SoftKey signs silently only for the active tab of a
// window (engine.js), so tests that sign in from many pages at once open each in its own window.

/**
 * Opens `href` in a new window (from the extension page `control`, with chrome.windows.create)
 * and returns its Playwright page once loaded. `href` must be unique among open pages.
 */
export async function pageInOwnWindow(context, control, href, { timeout = 15000 } = {}) {
  await control.evaluate((u) => chrome.windows.create({ url: u, focused: false }), href);
  const deadline = Date.now() + timeout;
  for (;;) {
    const page = context.pages().find((p) => p.url() === href);
    if (page) {
      await page.waitForLoadState();
      return page;
    }
    if (Date.now() > deadline) throw new Error(`no window came up for ${href}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `n` pages of `hrefOf(i)`, each in its own window. */
export function pagesInOwnWindows(context, control, n, hrefOf) {
  return Promise.all(Array.from({ length: n }, (_, i) => pageInOwnWindow(context, control, hrefOf(i))));
}
