// Offers "Add to SoftKey" on the IAM "Assign MFA device -> Authenticator app -> Set up device"
// step. On click: reads the QR code's pixels, reveals the secret ("Show secret key") if needed
// and reads it too, and sends both to the service worker (mfa.captureQr, shared/messages.js).
// The worker decodes the QR code, refuses when it and the text disagree, falls back to the text
// when the image cannot be read, stores the entry and answers two consecutive codes; they go
// into "MFA code 1" and "MFA code 2". The user presses "Add MFA" themselves.
//
// Isolated world, top frame, document_idle, on console.aws.amazon.com and its regional hosts
// (shared/messages.js runs before it in the same world).
(() => {
  'use strict';
  if (window.top !== window) return;
  if (location.protocol !== 'https:' || !/^(?:[a-z0-9-]+\.)?console\.aws\.amazon\.com$/.test(location.hostname)) return;

  const M = globalThis.SoftKeyMessages;
  const SECRET_RE = /^[A-Z2-7]{32,128}=*$/;
  const ACCOUNT_TEXT_RE = /\bAccount\s*ID\s*[:#]?\s*(\d{4}-?\d{4}-?\d{4})\b/i;
  const NAV_RE = /^\s*([\w+=,.@-]{1,64})\s+@\s+(\d{4}-\d{4}-\d{4}|[a-z0-9][a-z0-9-]{1,61}[a-z0-9])\s*$/;
  const ARN_RE = /\barn:aws:iam::\d{12}:mfa\/[\w+=,.@/-]{1,256}/;
  const nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  let deviceName = null;
  let offered = null; // the setup step we offered the button for

  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

  function visible(el) {
    if (!el || !el.isConnected) return false;
    if (typeof el.checkVisibility === 'function') return el.checkVisibility({ checkVisibilityCSS: true });
    return el.getClientRects().length > 0;
  }

  /** An input by its label text ("MFA code 1"), aria-label, or placeholder. */
  function inputLabelled(re) {
    for (const input of document.querySelectorAll('input')) {
      if (!visible(input) || input.type === 'hidden') continue;
      const texts = [input.getAttribute('aria-label'), input.placeholder, ...[...(input.labels || [])].map((l) => l.textContent)];
      const by = input.getAttribute('aria-labelledby');
      if (by) for (const id of by.split(/\s+/)) texts.push(document.getElementById(id)?.textContent);
      if (texts.some((t) => re.test(norm(t)))) return input;
    }
    return null;
  }

  function byText(selector, re) {
    for (const el of document.querySelectorAll(selector)) {
      if (visible(el) && re.test(norm(el.textContent || el.value))) return el;
    }
    return null;
  }

  /** The "Set up device" step for an authenticator app, if it is on screen. */
  function setupStep() {
    const code1 = inputLabelled(/^MFA code 1$/i);
    const code2 = inputLabelled(/^MFA code 2$/i);
    const add = byText('button, [role="button"], input[type="button"], input[type="submit"]', /^Add MFA$/i);
    if (!code1 || !code2 || !add) return null;
    const show = byText('a, button, [role="button"]', /^(?:Show|Hide) secret key$/i);
    const qr = [...document.querySelectorAll('img, canvas, svg')].find((el) =>
      visible(el) && /QR/i.test(el.getAttribute('alt') || el.getAttribute('aria-label') || el.id || ''));
    if (!show && !qr) return null;
    return { code1, code2, add, show, qr };
  }

  function findSecret() {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\s+/g, '');
      if (SECRET_RE.test(text) && visible(node.parentElement)) return text;
    }
    return null;
  }

  function awsContext() {
    const text = (document.body && document.body.innerText) || '';
    let account = null;
    let user = null;
    for (const el of document.querySelectorAll('[data-testid="awsc-nav-account-menu-button"], [data-testid="account-menu"], .account-menu')) {
      const m = norm(el.textContent).match(NAV_RE);
      if (m) { user = m[1]; account = m[2]; break; }
    }
    const shown = text.match(ACCOUNT_TEXT_RE);
    if (shown) account = shown[1];
    // IAM > Users > NAME > Security credentials: the MFA device is for NAME, not for the signed-in user.
    const hashUser = location.hash.match(/\/users\/(?:details\/)?([\w+=,.@-]{1,64})/);
    if (hashUser) user = decodeURIComponent(hashUser[1]);
    const arn = text.match(ARN_RE);
    return { account, user, arn: arn ? arn[0] : null };
  }

  function readDeviceName() {
    const el = document.querySelector('input[name="mfaDeviceName"], input#mfa-device-name, input[name="deviceName"]') ||
      inputLabelled(/^(?:MFA )?device name$/i);
    const v = el && el.value.trim();
    return v || deviceName || null;
  }

  document.addEventListener('input', (ev) => {
    const t = ev.target;
    if (t instanceof HTMLInputElement && /device.?name/i.test(`${t.name} ${t.id}`) && t.value.trim()) deviceName = t.value.trim();
  }, true);

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

  /**
   * The QR code's pixels as {width, height, rgba: base64url}, or null when they cannot be had:
   * not loaded, or a cross-origin image (drawing it taints the canvas, and reading a tainted
   * canvas throws a SecurityError). A large image is scaled down to fit the message limit.
   */
  async function qrImage(el) {
    if (!M || !el || !(el instanceof HTMLImageElement || el instanceof HTMLCanvasElement)) return null;
    if (el instanceof HTMLImageElement) {
      await Promise.race([el.decode().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
      if (!el.complete || !el.naturalWidth) return null;
    }
    const w0 = el instanceof HTMLImageElement ? el.naturalWidth : el.width;
    const h0 = el instanceof HTMLImageElement ? el.naturalHeight : el.height;
    const { qrImageSideMax: max, qrImageSideMin: min } = M.LIMITS;
    const scale = Math.min(1, max / Math.max(w0, h0));
    const width = Math.round(w0 * scale);
    const height = Math.round(h0 * scale);
    if (width < min || height < min) return null;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    try {
      ctx.drawImage(el, 0, 0, width, height);
      const { data } = ctx.getImageData(0, 0, width, height);
      return { width, height, rgba: M.bytesToB64url(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
    } catch (e) {
      if (e?.name !== 'SecurityError') throw e;
      return null;
    }
  }

  function failure(answer) {
    switch (answer.error) {
      case 'duplicate': return 'Already in SoftKey.';
      case 'mismatch':
        return 'The QR code and the secret key on this page differ, so SoftKey added nothing. ' +
          'Reload the page and start again.';
      case 'invalid': return `SoftKey could not add this device: ${answer.message}.`;
      case 'no-qr': return `SoftKey could not read the QR code (${answer.message}) and found no secret key.`;
      default: return 'SoftKey could not add this device.';
    }
  }

  async function capture(step, status) {
    status('Reading the QR code…');
    let image = null;
    try {
      image = await qrImage(step.qr);
    } catch (_) { /* unreadable image: the secret key text remains */ }
    status('Reading the secret key…');
    let secret = findSecret();
    if (!secret && step.show && /^Show/i.test(norm(step.show.textContent))) {
      step.show.click();
      secret = await waitFor(findSecret, 3000);
    }
    if (!secret && !image) return status('SoftKey could not find the QR code or the secret key on this page.');
    const ctx = awsContext();
    const message = {
      type: M.MessageType.MFA_CAPTURE_QR,
      ...(image ? { image } : {}),
      ...(secret ? { secret } : {}),
      deviceName: (readDeviceName() || 'AWS MFA').slice(0, 128),
      ...(ctx.account ? { account: ctx.account } : {}),
      ...(ctx.user ? { user: ctx.user } : {}),
      ...(ctx.arn ? { arn: ctx.arn } : {}),
    };
    let answer = null;
    try {
      answer = await chrome.runtime.sendMessage(message);
    } catch (_) { /* no answer */ }
    if (!answer) return status('SoftKey did not answer.');
    if (answer.locked) return status('Unlock SoftKey, then press "Add to SoftKey" again.');
    if (answer.none) return status('Create a SoftKey vault first.');
    if (answer.error || !Array.isArray(answer.codes)) return status(failure(answer));
    setValue(step.code1, answer.codes[0]);
    setValue(step.code2, answer.codes[1]);
    status(`Added to SoftKey as "${answer.label}". Codes filled: press "Add MFA".`, true);
  }

  function offer(step) {
    const host = document.createElement('softkey-mfa-capture');
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
    const anchor = step.show || step.qr;
    anchor.after(host);
  }

  let scheduled = false;
  function scan() {
    scheduled = false;
    const step = setupStep();
    if (!step) return;
    if (offered && offered.code1 === step.code1 && document.querySelector('softkey-mfa-capture')) return;
    document.querySelector('softkey-mfa-capture')?.remove();
    offered = step;
    offer(step);
  }
  new MutationObserver(() => {
    if (!scheduled) { scheduled = true; setTimeout(scan, 150); }
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'style', 'class'] });
  scan();
})();
