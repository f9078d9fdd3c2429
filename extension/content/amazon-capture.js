// Offers "Add to SoftKey" on Amazon.com's two-step verification step "add an authenticator app"
// (the AWS root user's linked Amazon.com account). On click: reveals the key ("Can't scan the
// barcode?") if needed, reads it, sends it to the service worker, which stores the entry (issuer
// Amazon, the page's e-mail as the account) and answers one code; it goes into "Enter OTP". The
// user presses "Verify OTP and continue" themselves.
//
// Isolated world, top frame, document_idle, on https://www.amazon.com/a/settings/approval/*
// only. [guess] That path, and the page below, are inferred from public descriptions of the
// flow, not from a captured page: the step is recognised by several signals together (an OTP
// field, the "Verify OTP" button, and a barcode or its "Can't scan" link), never one selector.
// The helpers mirror content/mfa-capture.js on purpose: the two pages share nothing else, and
// each script stays readable on its own.
(() => {
  'use strict';
  if (window.top !== window) return;
  if (location.protocol !== 'https:' || location.hostname !== 'www.amazon.com' ||
    !location.pathname.startsWith('/a/settings/approval/')) return;

  // Amazon shows 52 characters (a 32-byte key) in groups of four; accept any sane length.
  const SECRET_RE = /^[A-Z2-7]{32,128}=*$/;
  const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
  // What mfa-fill.js keeps of the sign-in on this origin (tab's sessionStorage): the e-mail typed
  // on /ap/signin. Used when the setup page itself shows no e-mail.
  const SIGNIN_CONTEXT_KEY = 'softkey.mfa.context';
  const nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const HOST_TAG = 'softkey-amazon-capture';
  let offered = null;

  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

  function visible(el) {
    if (!el || !el.isConnected) return false;
    if (typeof el.checkVisibility === 'function') return el.checkVisibility({ checkVisibilityCSS: true });
    return el.getClientRects().length > 0;
  }

  function labelsOf(input) {
    const texts = [input.getAttribute('aria-label'), input.placeholder, ...[...(input.labels || [])].map((l) => l.textContent)];
    const by = input.getAttribute('aria-labelledby');
    if (by) for (const id of by.split(/\s+/)) texts.push(document.getElementById(id)?.textContent);
    return texts.map(norm).filter(Boolean);
  }

  /** The one-time-code field: by its label, else by its name/id/autocomplete. */
  function otpInput() {
    const candidates = [...document.querySelectorAll('input')].filter((i) =>
      visible(i) && !['hidden', 'checkbox', 'radio', 'submit', 'button', 'password'].includes(i.type) && !i.disabled);
    return candidates.find((i) => labelsOf(i).some((t) => /^Enter (?:the )?(?:OTP|code)\b/i.test(t))) ||
      candidates.find((i) => /otp|auth-app-code|one-time-code/i.test(`${i.id} ${i.name} ${i.autocomplete}`)) || null;
  }

  function byText(selector, re) {
    for (const el of document.querySelectorAll(selector)) {
      if (visible(el) && re.test(norm(el.textContent || el.value))) return el;
    }
    return null;
  }

  /** The authenticator-app step, if it is on screen. */
  function setupStep() {
    const otp = otpInput();
    const verify = byText('button, [role="button"], input[type="submit"], input[type="button"]', /^Verify OTP\b/i);
    if (!otp || !verify) return null;
    const cantScan = byText('a, button, [role="button"]', /^Can.t scan the (?:bar ?code|QR code)\??$/i);
    const qr = [...document.querySelectorAll('img, canvas, svg')].find((el) =>
      visible(el) && /bar ?code|QR/i.test(`${el.getAttribute('alt') || ''} ${el.getAttribute('aria-label') || ''} ${el.id}`));
    if (!cantScan && !qr) return null;
    return { otp, verify, cantScan, qr };
  }

  /** The key as shown: one text node, or groups of four spread over a few sibling elements. */
  function findSecret() {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!/[A-Z2-7]{4}/.test(node.textContent)) continue;
      for (let el = node.parentElement, depth = 0; el && depth < 3; el = el.parentElement, depth++) {
        if (['SCRIPT', 'STYLE', 'TEMPLATE'].includes(el.tagName)) break;
        const text = el.textContent.replace(/\s+/g, '');
        if (text.length > 136) break;
        if (SECRET_RE.test(text) && visible(el)) return text;
      }
    }
    return null;
  }

  /** The account's e-mail: the only one the page shows, else the one typed at sign-in. */
  function accountEmail() {
    const shown = new Set(((document.body && document.body.innerText) || '').match(EMAIL_RE) || []);
    if (shown.size === 1) return [...shown][0].toLowerCase();
    try {
      const saved = JSON.parse(sessionStorage.getItem(SIGNIN_CONTEXT_KEY) || '{}');
      if (typeof saved?.email === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(saved.email)) {
        return saved.email.trim().toLowerCase().slice(0, 256);
      }
    } catch (_) { /* no saved sign-in */ }
    return null;
  }

  function setValue(input, value) {
    input.focus({ preventScroll: true });
    nativeValue.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  async function waitFor(fn, ms) {
    const end = Date.now() + ms;
    for (;;) {
      const v = fn();
      if (v || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function capture(step, status) {
    status('Reading the key…');
    let secret = findSecret();
    if (!secret && step.cantScan) {
      step.cantScan.click();
      secret = await waitFor(findSecret, 3000);
    }
    if (!secret) return status('SoftKey could not find the key on this page.');
    const email = accountEmail();
    let answer = null;
    try {
      answer = await chrome.runtime.sendMessage({ type: 'mfa.amazonCapture', secret, ...(email ? { email } : {}) });
    } catch (_) { /* no answer */ }
    if (!answer) return status('SoftKey did not answer.');
    if (answer.locked) return status('Unlock SoftKey, then press "Add to SoftKey" again.');
    if (answer.none) return status('Create a SoftKey vault first.');
    if (answer.error || typeof answer.code !== 'string') {
      return status(answer.error === 'duplicate' ? 'Already in SoftKey.' : 'SoftKey could not add this app.');
    }
    setValue(step.otp, answer.code);
    status(`Added to SoftKey as "${answer.label}". Code filled: press "Verify OTP and continue".`, true);
  }

  function offer(step) {
    const host = document.createElement(HOST_TAG);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>
        :host { all: initial; display: block; margin: 8px 0; font: 13px/1.4 system-ui, sans-serif; }
        button { font: inherit; padding: 4px 12px; border-radius: 4px; border: 1px solid #0972d3;
                 background: #fff; color: #0972d3; cursor: pointer; }
        button:focus-visible { outline: 2px solid #0972d3; outline-offset: 1px; }
        [role=status] { margin-left: 8px; color: #16191f; }
      </style><button type="button">Add to SoftKey</button><span role="status"></span>`;
    const button = root.querySelector('button');
    const statusEl = root.querySelector('[role=status]');
    const status = (text, done = false) => {
      statusEl.textContent = text;
      if (done) button.disabled = true;
    };
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await capture(step, status);
      } finally {
        if (!statusEl.textContent.startsWith('Added')) button.disabled = false;
      }
    });
    (step.cantScan || step.qr).after(host);
  }

  let scheduled = false;
  function scan() {
    scheduled = false;
    const step = setupStep();
    if (!step) return;
    if (offered && offered.otp === step.otp && document.querySelector(HOST_TAG)) return;
    document.querySelector(HOST_TAG)?.remove();
    offered = step;
    offer(step);
  }
  new MutationObserver(() => {
    if (!scheduled) { scheduled = true; setTimeout(scan, 150); }
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'style', 'class'] });
  scan();
})();
