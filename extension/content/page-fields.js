/*
 * What the isolated-world content scripts that read and fill AWS's and Amazon.com's own forms
 * share (mfa-fill.js, mfa-capture.js, amazon-capture.js): finding fields by what a person sees,
 * filling them the way a page's framework sees typing, the "Add to SoftKey" button, and a
 * debounced watch of a page that builds its forms late.
 *
 * How it is shared (no build step): listed before each of those scripts in its content_scripts
 * entry, so Chrome runs it first in the same isolated world. It only defines
 * `globalThis.SoftKeyPageFields` (frozen, non-enumerable), which the page's own scripts cannot
 * see. Where two of them run on one page (Identity Center portals both fill and capture), the
 * second copy returns at once.
 */
((root) => {
  'use strict';
  if (root.SoftKeyPageFields) return;

  // The setter of the prototype, not of the element: frameworks (React) watch the element's own
  // `value` property and would not notice an assignment through it.
  const nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;

  /** Where mfa-fill.js keeps what the user typed earlier in a sign-in (this origin's
   * sessionStorage: names the site already knows, never a code). */
  const SIGNIN_CONTEXT_KEY = 'softkey.mfa.context';

  /** Text with its white space folded. */
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

  /** Rendered and not hidden by CSS (opacity and size do not matter here). */
  function visible(el) {
    if (!el || !el.isConnected) return false;
    if (typeof el.checkVisibility === 'function') return el.checkVisibility({ checkVisibilityCSS: true });
    return el.getClientRects().length > 0;
  }

  /** What names an input to a person: aria-label, placeholder, <label>s, aria-labelledby;
   * folded, empty ones left out. */
  function labelsOf(input) {
    const texts = [input.getAttribute('aria-label'), input.placeholder, ...[...(input.labels || [])].map((l) => l.textContent)];
    const by = input.getAttribute('aria-labelledby');
    if (by) for (const id of by.split(/\s+/)) texts.push(document.getElementById(id)?.textContent);
    return texts.map(norm).filter(Boolean);
  }

  /** The first visible input one of whose labels matches `re` ("MFA code 1"). */
  function inputLabelled(re) {
    for (const input of document.querySelectorAll('input')) {
      if (!visible(input) || input.type === 'hidden') continue;
      if (labelsOf(input).some((t) => re.test(t))) return input;
    }
    return null;
  }

  /** The first visible element matching `selector` whose text (or value) matches `re`. */
  function byText(selector, re) {
    for (const el of document.querySelectorAll(selector)) {
      if (visible(el) && re.test(norm(el.textContent || el.value))) return el;
    }
    return null;
  }

  /** Puts `value` into `input` as typing would: focus, the native setter, input and change. */
  function fill(input, value) {
    input.focus({ preventScroll: true });
    nativeValue.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** Polls `fn` every 100 ms until it returns something truthy or `ms` have passed. */
  async function waitFor(fn, ms) {
    const end = Date.now() + ms;
    for (;;) {
      const v = fn();
      if (v || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The service worker's answer to `message`, or null when there is none (extension reloaded). */
  async function send(message) {
    try {
      return await chrome.runtime.sendMessage(message);
    } catch (_) {
      return null;
    }
  }

  /** What mfa-fill.js kept of this sign-in ({account?, user?, email?}); {} when nothing. */
  function savedSignIn() {
    try {
      return JSON.parse(sessionStorage.getItem(SIGNIN_CONTEXT_KEY) || '{}') || {};
    } catch (_) {
      return {};
    }
  }

  /** Adds `patch` to what savedSignIn() returns. */
  function saveSignIn(patch) {
    try {
      sessionStorage.setItem(SIGNIN_CONTEXT_KEY, JSON.stringify({ ...savedSignIn(), ...patch }));
    } catch (_) { /* storage disabled: the page itself is read instead */ }
  }

  const ADD_BUTTON_CSS = `
        :host { all: initial; display: block; margin: 8px 0; font: 13px/1.4 system-ui, sans-serif; }
        button { font: inherit; padding: 4px 12px; border-radius: 4px; border: 1px solid #0972d3;
                 background: #fff; color: #0972d3; cursor: pointer; }
        button:focus-visible { outline: 2px solid #0972d3; outline-offset: 1px; }
        [role=status] { margin-left: 8px; color: #16191f; }
        .action { margin-left: 8px; }
      `;

  /**
   * An "Add to SoftKey" button in its own element `tag` (shadow DOM: the page's styles do not
   * reach it), put after `anchor`. A click runs `capture(status)`; `status(text, done, action)`
   * shows progress, `done` keeps the button disabled, and `action` ({label, run}) offers one
   * more button (for example "Remove from SoftKey"). Unless a status said `done`, the button is
   * enabled again for another try.
   */
  function offerAddButton(tag, anchor, capture) {
    const host = document.createElement(tag);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = `<style>${ADD_BUTTON_CSS}</style><button type="button">Add to SoftKey</button>` +
      '<span role="status"></span><button type="button" class="action" hidden></button>';
    const button = shadow.querySelector('button');
    const statusEl = shadow.querySelector('[role=status]');
    const actionEl = shadow.querySelector('.action');
    let actionRun = null;
    let finished = false;
    actionEl.addEventListener('click', () => {
      const run = actionRun;
      actionRun = null;
      actionEl.hidden = true;
      if (run) run();
    });
    const status = (text, done = false, action = null) => {
      statusEl.textContent = text;
      if (done) {
        finished = true;
        button.disabled = true;
      }
      actionRun = action ? action.run : null;
      actionEl.hidden = !action;
      actionEl.textContent = action ? action.label : '';
    };
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await capture(status);
      } finally {
        if (!finished) button.disabled = false;
      }
    });
    anchor.after(host);
    return host;
  }

  /**
   * Runs `scan` now, and again `delay` ms after the page changes (nodes, or the attributes in
   * `attributeFilter`), at most once per `delay`: single-page apps build their forms late.
   */
  function watchPage(scan, { delay, attributeFilter }) {
    let scheduled = false;
    const run = () => {
      scheduled = false;
      scan();
    };
    new MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      setTimeout(run, delay);
    }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter });
    run();
  }

  /**
   * Offers "Add to SoftKey" (element `tag`) while the page shows a setup step: `find()` gives the
   * step or null, the button goes after `anchor(step)`, and a click runs `capture(step, status)`.
   * A step whose `key(step)` changed (the app rebuilt its form) gets a fresh button.
   */
  function offerOnSetupStep(tag, { find, key, anchor, capture }) {
    let offered = null;
    watchPage(() => {
      const step = find();
      if (!step) return;
      if (offered && key(offered) === key(step) && document.querySelector(tag)) return;
      document.querySelector(tag)?.remove();
      offered = step;
      offerAddButton(tag, anchor(step), (status) => capture(step, status));
    }, { delay: 150, attributeFilter: ['hidden', 'style', 'class'] });
  }

  /**
   * The codes of a capture answer, valid now: when the worker answered a wait (too few seconds
   * left in this step to type them, and a step that has not started would be refused), says so
   * on the page, waits for the next step and asks again (mfa.captureCodes).
   */
  async function freshCaptureCodes(answer, status) {
    let a = answer;
    for (let i = 0; i < 3 && a && typeof a.wait === 'number'; i++) {
      status(`The code changes in ${Math.ceil(a.wait / 1000)} s: SoftKey waits to fill fresh codes…`);
      await new Promise((r) => setTimeout(r, Math.min(Math.max(a.wait, 0), 31000)));
      a = await send({ type: 'mfa.captureCodes', entryId: answer.entryId });
    }
    return a;
  }

  /**
   * After a capture's codes were filled: when the page then shows its success wording, the entry
   * is confirmed; when it shows new error wording, the entry stays unconfirmed and the user is
   * offered to remove it. Only wording that appears after the fill counts.
   */
  function watchCaptureOutcome(entryId, { accepted, refused }, status) {
    const text = () => (document.body && document.body.innerText) || '';
    const count = (re) => (text().match(new RegExp(re.source, 'gi')) || []).length;
    const before = { accepted: count(accepted), refused: count(refused) };
    let settled = false;
    const check = () => {
      if (settled) return;
      if (count(accepted) > before.accepted) {
        settled = true;
        observer.disconnect();
        send({ type: 'mfa.captureResult', entryId, accepted: true }).then((r) => {
          if (r?.confirmed) status('Added to SoftKey; the site accepted the device.', true);
        });
      } else if (count(refused) > before.refused) {
        settled = true;
        observer.disconnect();
        send({ type: 'mfa.captureResult', entryId, accepted: false });
        status('The site did not accept the codes; the SoftKey entry is kept as unconfirmed.', true, {
          label: 'Remove from SoftKey',
          run: async () => {
            const r = await send({ type: 'mfa.captureRemove', entryId });
            status(r?.removed ? 'Removed from SoftKey.' : 'SoftKey could not remove it.', true);
          },
        });
      }
    };
    const observer = new MutationObserver(() => setTimeout(check, 50));
    observer.observe(document.documentElement, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['hidden', 'style', 'class'],
    });
    setTimeout(() => observer.disconnect(), 15 * 60 * 1000);
  }

  const api = Object.freeze({
    norm, visible, labelsOf, inputLabelled, byText, fill, waitFor, send,
    savedSignIn, saveSignIn, offerAddButton, watchPage, offerOnSetupStep, freshCaptureCodes, watchCaptureOutcome,
  });
  Object.defineProperty(root, 'SoftKeyPageFields', {
    value: api, configurable: true, enumerable: false, writable: false,
  });
})(globalThis);
