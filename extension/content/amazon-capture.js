// Offers "Add to SoftKey" on Amazon.com's two-step verification step "add an authenticator app"
// (the AWS root user's linked Amazon.com account). On click: reveals the key ("Can't scan the
// barcode?") if needed, reads it, sends it to the service worker, which stores the entry (issuer
// Amazon, the page's e-mail as the account) and answers one code; it goes into "Enter OTP". The
// user presses "Verify OTP and continue" themselves.
//
// Isolated world, top frame, document_idle, on the site table's Amazon.com setup surface
// (/a/settings/approval and below: the setup page /a/settings/approval/setup/register, and the
// bare settings page where "Add new app" opens the same step). The ids are [evidence] from public
// scripts; the step is still recognised by several signals together (an OTP field, the verify
// button, and a barcode or its "Can't scan" link), so it survives their removal.
// The field helpers, the button and the page watch are content/page-fields.js's (listed before
// this file in the manifest).
(() => {
  'use strict';
  if (window.top !== window) return;
  const surface = globalThis.SoftKeySites?.surfaceOf(location.href);
  if (!surface || surface.kind !== 'amazonSetup') return;

  const F = globalThis.SoftKeyPageFields;
  const { visible, labelsOf, byText } = F;

  // Amazon shows 52 characters (a 32-byte key) in groups of four; accept any sane length.
  const SECRET_RE = /^[A-Z2-7]{32,128}=*$/;
  const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
  const HOST_TAG = 'softkey-amazon-capture';
  const ACCEPTED_RE = /Two-Step Verification (?:is )?(?:enabled|turned on|on)\b|authenticator app (?:was |has been )?added|successfully/i;
  const REFUSED_RE = /(?:invalid|incorrect|wrong|not valid|expired)\b[^.]{0,40}\b(?:code|OTP)|(?:code|OTP)\b[^.]{0,40}\b(?:invalid|incorrect|wrong|not valid|expired)/i;

  /** The one-time-code field: by its label, else by its name/id/autocomplete. */
  function otpInput() {
    const candidates = [...document.querySelectorAll('input')].filter((i) =>
      visible(i) && !['hidden', 'checkbox', 'radio', 'submit', 'button', 'password'].includes(i.type) && !i.disabled);
    return candidates.find((i) => i.id === 'ch-auth-app-code-input') ||
      candidates.find((i) => labelsOf(i).some((t) => /^Enter (?:the )?(?:OTP|code)\b/i.test(t))) ||
      candidates.find((i) => /otp|auth-app-code|one-time-code/i.test(`${i.id} ${i.name} ${i.autocomplete}`)) || null;
  }

  /** The authenticator-app step, if it is on screen. */
  function setupStep() {
    const otp = otpInput();
    const byId = document.querySelector('#ch-auth-app-submit');
    const verify = (byId && visible(byId) ? byId : null) ||
      byText('button, [role="button"], input[type="submit"], input[type="button"]', /^Verify OTP\b/i);
    if (!otp || !verify) return null;
    const cantScanId = document.querySelector('a#sia-auth-app-cant-scan-link');
    const cantScan = (cantScanId && visible(cantScanId) ? cantScanId : null) ||
      byText('a, button, [role="button"]', /^Can.t scan the (?:bar ?code|QR code)\??$/i);
    const qr = [...document.querySelectorAll('img, canvas, svg')].find((el) =>
      visible(el) && /bar ?code|QR/i.test(`${el.getAttribute('alt') || ''} ${el.getAttribute('aria-label') || ''} ${el.id}`));
    if (!cantScan && !qr) return null;
    return { otp, verify, cantScan, qr };
  }

  /** The key as shown: one text node, or groups of four spread over a few sibling elements. */
  function findSecret() {
    const shown = document.querySelector('#sia-auth-app-formatted-secret');
    const text = shown && visible(shown) ? shown.textContent.replace(/\s+/g, '') : '';
    if (SECRET_RE.test(text)) return text;
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

  /** What names the account: the only e-mail the page shows, and what the user typed at
   * /ap/signin (mfa-fill.js kept it in this origin's sessionStorage; an e-mail or a phone
   * number: the core takes it only when it is an e-mail address). */
  function accountNames() {
    const shown = new Set(((document.body && document.body.innerText) || '').match(EMAIL_RE) || []);
    const typed = F.savedSignIn().email;
    return {
      ...(shown.size === 1 ? { email: [...shown][0] } : {}),
      ...(typeof typed === 'string' && typed.trim() ? { signInName: typed.trim().slice(0, 256) } : {}),
    };
  }

  async function capture(step, status) {
    status('Reading the key…');
    let secret = findSecret();
    if (!secret && step.cantScan) {
      step.cantScan.click();
      secret = await F.waitFor(findSecret, 3000);
    }
    if (!secret) return status('SoftKey could not find the key on this page.');
    const added = await F.send({ type: 'mfa.amazonCapture', secret, ...accountNames() });
    if (!added) return status('SoftKey did not answer.');
    if (added.locked) return status('Unlock SoftKey, then press "Add to SoftKey" again.');
    if (added.none) return status('Create a SoftKey vault first.');
    if (added.error) return status(added.error.kind === 'duplicate' ? 'Already in SoftKey.' : 'SoftKey could not add this app.');
    const answer = await F.freshCaptureCodes(added, status);
    if (!answer || typeof answer.code !== 'string') return status('SoftKey could not add this app.');
    F.fill(step.otp, answer.code);
    const button = F.norm(step.verify.textContent || step.verify.value) || 'Verify OTP and continue';
    status(`Added to SoftKey as "${added.label}". Code filled: press "${button}".`, true);
    F.watchCaptureOutcome(added.entryId, { accepted: ACCEPTED_RE, refused: REFUSED_RE }, status);
  }

  F.offerOnSetupStep(HOST_TAG, { find: setupStep, key: (step) => step.otp, anchor: (step) => step.cantScan || step.qr, capture });
})();
