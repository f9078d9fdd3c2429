// Offers "Add to SoftKey" where an AWS person sets up an authenticator app: the IAM "Assign MFA
// device -> Authenticator app -> Set up device" step on every console (multi-session hosts and
// other partitions too), and "MFA devices -> Register device -> Authenticator app" in the IAM
// Identity Center portal and the Builder ID profile (their layout is [unknown]: recognised by
// wording, labels and a secret or QR code together, never by generated ids). On click: reads the QR code's pixels, reveals the secret ("Show secret key") if needed
// and reads it too, and sends both to the service worker (mfa.captureQr, shared/messages.js).
// The worker decodes the QR code, refuses when it and the text disagree, falls back to the text
// when the image cannot be read, stores the entry and answers two consecutive codes; they go
// into "MFA code 1" and "MFA code 2" (or the one code field of a portal). The user presses
// "Add MFA" themselves; the entry stays unconfirmed until the page shows that AWS accepted it.
// The QR code may stay hidden until "Show QR code" is clicked: the secret key text serves then.
//
// Isolated world, top frame, document_idle, on shared/sites.js's AWS capture surfaces
// (shared/sites.js, base64url.js, messages.js and content/page-fields.js run before it).
(() => {
  'use strict';
  if (window.top !== window) return;
  const surface = globalThis.SoftKeySites?.surfaceOf(location.href);
  if (!surface || !surface.capture || surface.partition === 'amazon') return;

  const M = globalThis.SoftKeyMessages;
  const B64 = globalThis.SoftKeyBase64url;
  const F = globalThis.SoftKeyPageFields;
  const { norm, visible, inputLabelled, byText } = F;
  const SECRET_RE = /^[A-Z2-7]{32,128}=*$/;
  // "Account ID: 2109-8765-4321", "Account 2109-8765-4321", "Account: 210987654321".
  const ACCOUNT_TEXT_RE = /\bAccount(?:\s*ID)?\s*[:#]?\s*(\d{4}-?\d{4}-?\d{4})\b/i;
  const BREADCRUMB_USER_RE = /\bUsers\s*[>›/»]?\s*([\w+=,.@-]{1,64})\b/;
  const ADD_RE = /^(?:Add MFA|Assign MFA|Register(?: MFA| device)?|Add device)$/i;
  const SINGLE_CODE_RE = /^(?:Authenticator (?:app )?code|MFA code|Verification code|Code from (?:your|the) (?:authenticator )?app)\b/i;
  const ACCEPTED_RE = /MFA device (?:was )?(?:assigned|registered|added)|(?:successfully|you have) (?:assigned|registered|added)|device (?:was )?registered/i;
  const REFUSED_RE = /(?:invalid|incorrect|not valid|do(?:es)? not match|expired|entered (?:an )?(?:incorrect|invalid))\b[^.]{0,60}\b(?:code|MFA|token|passcode)s?|(?:code|MFA|token|passcode)s?\b[^.]{0,40}\b(?:invalid|incorrect|not valid|expired)/i;
  const NAV_RE = /^\s*([\w+=,.@-]{1,64})\s+@\s+(\d{4}-\d{4}-\d{4}|[a-z0-9][a-z0-9-]{1,61}[a-z0-9])\s*$/;
  const ARN_RE = /\barn:aws:iam::\d{12}:mfa\/[\w+=,.@/-]{1,256}/;
  const HOST_TAG = 'softkey-mfa-capture';
  let deviceName = null;

  /** The "Set up device" step for an authenticator app, if it is on screen: two codes (IAM)
   * or one (Identity Center portal, Builder ID). */
  function setupStep() {
    const add = byText('button, [role="button"], input[type="button"], input[type="submit"]', ADD_RE);
    if (!add) return null;
    const code1 = inputLabelled(/^MFA code 1$/i);
    const code2 = inputLabelled(/^MFA code 2$/i);
    const single = code1 || code2 ? null : inputLabelled(SINGLE_CODE_RE);
    if (!(code1 && code2) && !single) return null;
    if (single && !/authenticator app/i.test(document.body?.innerText || '')) return null;
    const show = byText('a, button, [role="button"]', /^(?:Show|Hide) secret(?: key)?$|^Can.t scan the (?:QR )?code\??$/i);
    // The QR code, even while hidden behind "Show QR code": its pixels may already be there.
    const qr = [...document.querySelectorAll('img, canvas, svg')].find((el) =>
      /QR/i.test(el.getAttribute('alt') || el.getAttribute('aria-label') || el.id || ''));
    if (!show && !(qr && visible(qr))) return null;
    return { code1: code1 || single, code2: single ? null : code2, add, show, qr };
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
    // Identity Center portals and the Builder ID profile name the signed-in user in a menu.
    for (const el of document.querySelectorAll('[aria-label="User menu" i], [data-testid*="user-menu" i], [data-testid="username"], .user-menu')) {
      const name = norm(el.textContent);
      if (/^[\w+=,.@-]{1,128}$/.test(name)) { user = name; break; }
    }
    // "IAM > Users > carol": the user whose page this is.
    for (const el of document.querySelectorAll('nav[aria-label*="readcrumb" i], [class*="breadcrumb" i], [data-testid*="breadcrumb" i]')) {
      const m = norm(el.textContent).match(BREADCRUMB_USER_RE);
      if (m) { user = m[1]; break; }
    }
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
      return { width, height, rgba: B64.bytesToB64url(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
    } catch (e) {
      if (e?.name !== 'SecurityError') throw e;
      return null;
    }
  }

  /** What to say about the worker's error envelope ({name, kind, message}), by its kind. */
  function failure(answer) {
    const error = answer.error || {};
    switch (error.kind) {
      case 'duplicate': return 'Already in SoftKey.';
      case 'mismatch':
        return 'The QR code and the secret key on this page differ, so SoftKey added nothing. ' +
          'Reload the page and start again.';
      case 'invalidEntry': return `SoftKey could not add this device: ${error.message}.`;
      case 'noQr': return `SoftKey could not read the QR code (${error.message}) and found no secret key.`;
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
      secret = await F.waitFor(findSecret, 3000);
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
    const added = await F.send(message);
    if (!added) return status('SoftKey did not answer.');
    if (added.locked) return status('Unlock SoftKey, then press "Add to SoftKey" again.');
    if (added.none) return status('Create a SoftKey vault first.');
    if (added.error) return status(failure(added));
    const answer = await F.freshCaptureCodes(added, status);
    if (!answer || !Array.isArray(answer.codes)) return status(failure(answer || {}));
    F.fill(step.code1, answer.codes[0]);
    if (step.code2) F.fill(step.code2, answer.codes[1]);
    const button = norm(step.add.textContent || step.add.value);
    status(`Added to SoftKey as "${added.label}". ${step.code2 ? 'Codes' : 'Code'} filled: press "${button}".`, true);
    F.watchCaptureOutcome(added.entryId, { accepted: ACCEPTED_RE, refused: REFUSED_RE }, status);
  }

  F.offerOnSetupStep(HOST_TAG, { find: setupStep, key: (step) => step.code1, anchor: (step) => step.show || step.qr, capture });
})();
