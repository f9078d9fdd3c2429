// Chromium with an unpacked extension, for testing the extension pages (extension/ui/*).
// Reuses lib/browser.mjs; the UI tests need no fixture server, so no host is mapped.
import { launchBrowser, extensionWorker, extensionIdOf, screenshot } from './browser.mjs';

const NO_FIXTURES = { hosts: [], spki: '' };

/** Sizes the pages are designed for: the toolbar popup and the prompt windows. */
export const POPUP_SIZE = { width: 360, height: 600 };
export const PROMPT_SIZE = { width: 420, height: 560 };
export const PAGE_SIZE = { width: 900, height: 760 };

/**
 * Launch Chromium with the extension in `dist`.
 * @returns {Promise<{context, worker, id: string, open: (file: string, size?: object) => Promise<import('playwright-core').Page>, close: () => Promise<void>}>}
 */
export async function launchExtension(dist) {
  const browser = await launchBrowser({ server: NO_FIXTURES, dist });
  try {
    const worker = await extensionWorker(browser.context);
    const id = extensionIdOf(worker);
    // Any page the extension opened by itself is not ours to drive.
    const open = async (file, size = POPUP_SIZE) => {
      const page = await browser.context.newPage();
      await page.setViewportSize(size);
      await page.goto(`chrome-extension://${id}/extension/ui/${file}`);
      return page;
    };
    return { context: browser.context, worker, id, open, close: browser.close };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Screenshot in the light and the dark theme; returns the two file paths. */
export async function screenshotThemes(page, name, { before } = {}) {
  const files = [];
  await page.mouse.move(0, 0); // no hover highlight in the picture
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    if (before) await before(page, colorScheme);
    // No toast in the picture; let transitions (dialogs, ring) settle.
    await page.waitForFunction(() => !document.querySelector('.toast.show'), null, { timeout: 5000 });
    await page.waitForTimeout(250);
    files.push(await screenshot(page, `ui-${name}-${colorScheme}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return files;
}

/** Elements whose content is wider than their box, or that stick out of the viewport. */
export async function overflowingElements(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('[hidden], dialog:not([open]), svg')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const clipsText = style.textOverflow === 'ellipsis' || ['hidden', 'auto', 'scroll'].includes(style.overflowX);
      if (r.right > vw + 0.5 || r.left < -0.5 || (!clipsText && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} (${Math.round(r.left)}–${Math.round(r.right)} of ${vw}, scroll ${el.scrollWidth}/${el.clientWidth})`);
      }
    }
    return out;
  });
}
