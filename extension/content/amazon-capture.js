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
// The field helpers, the button and the page watch are content/page-fields.js's (listed before
// this file in the manifest).
(() => {
  'use strict';
  if (window.top !== window) return;
  if (location.protocol !== 'https:' || location.hostname !== 'www.amazon.com' ||
    !location.pathname.startsWith('/a/settings/approval/')) return;

  const F = globalThis.SoftKeyPageFields;
  const { visible, labelsOf, byText } = F;

  // Amazon shows 52 characters (a 32-byte key) in groups of four; accept any sane length.
  const SECRET_RE = /^[A-Z2-7]{32,128}=*$/;
  const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
  const HOST_TAG = 'softkey-amazon-capture';
  let offered = null;

  /** The one-time-code field: by its label, else by its name/id/autocomplete. */
  function otpInput() {
    const candidates = [...document.querySelectorAll('input')].filter((i) =>
      visible(i) && !['hidden', 'checkbox', 'radio', 'submit', 'button', 'password'].includes(i.type) && !i.disabled);
    return candidates.find((i) => labelsOf(i).some((t) => /^Enter (?:the )?(?:OTP|code)\b/i.test(t))) ||
      candidates.find((i) => /otp|auth-app-code|one-time-code/i.test(`${i.id} ${i.name} ${i.autocomplete}`)) || null;
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

  /** The account's e-mail: the only one the page shows, else the one mfa-fill.js kept from
   * /ap/signin (this origin's sessionStorage). */
  function accountEmail() {
    const shown = new Set(((document.body && document.body.innerText) || '').match(EMAIL_RE) || []);
    if (shown.size === 1) return [...shown][0].toLowerCase();
    const saved = F.savedSignIn();
    if (typeof saved.email === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(saved.email)) {
      return saved.email.trim().toLowerCase().slice(0, 256);
    }
    return null;
  }

  async function capture(step, status) {
    status('Reading the key…');
    let secret = findSecret();
    if (!secret && step.cantScan) {
      step.cantScan.click();
      secret = await F.waitFor(findSecret, 3000);
    }
    if (!secret) return status('SoftKey could not find the key on this page.');
    const email = accountEmail();
    const answer = await F.send({ type: 'mfa.amazonCapture', secret, ...(email ? { email } : {}) });
    if (!answer) return status('SoftKey did not answer.');
    if (answer.locked) return status('Unlock SoftKey, then press "Add to SoftKey" again.');
    if (answer.none) return status('Create a SoftKey vault first.');
    if (answer.error || typeof answer.code !== 'string') {
      return status(answer.error === 'duplicate' ? 'Already in SoftKey.' : 'SoftKey could not add this app.');
    }
    F.fill(step.otp, answer.code);
    status(`Added to SoftKey as "${answer.label}". Code filled: press "Verify OTP and continue".`, true);
  }

  F.watchPage(() => {
    const step = setupStep();
    if (!step) return;
    if (offered && offered.otp === step.otp && document.querySelector(HOST_TAG)) return;
    document.querySelector(HOST_TAG)?.remove();
    offered = step;
    F.offerAddButton(HOST_TAG, step.cantScan || step.qr, (status) => capture(step, status));
  }, { delay: 150, attributeFilter: ['hidden', 'style', 'class'] });
})();
