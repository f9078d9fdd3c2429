// Fills (and, where the site allows it and the user's per-site setting says so, submits) the
// TOTP code on every MFA prompt of shared/sites.js's fill surfaces: the AWS sign-in of every
// partition (classic and 2024 pages), IAM Identity Center and Builder ID, Amazon.com's /ap/
// pages (its own two-step verification, and the AWS root user's older flow). Isolated world,
// top frame, document_idle; a page watch catches fields of single-page apps that appear late.
//
// What a hostile script on a sign-in host must not get (issue "Hardening", defects 4 and 12):
// - a code in a field it planted: only a visible field of sensible size inside the viewport,
//   on a page that shows MFA wording, gets a code, and only one field per prompt;
// - a code without a sign-in: the worker gives one out only after the user's own (trusted)
//   interaction with the sign-in flow in this tab, and once per interaction (mfa.flow);
// - a submit to elsewhere: only a form whose action stays on this origin, or a button of the
//   MFA step itself, is submitted.
// Which entry fits is decided by the Rust core through the worker, from the URL the browser
// reports and what the page shows of the account, user and e-mail.
// content/page-fields.js and shared/sites.js run before it in the same world.
(() => {
  'use strict';
  if (window.top !== window) return;
  const surface = globalThis.SoftKeySites?.surfaceOf(location.href);
  // Defence in depth: the manifest limits where this runs; so does the site table.
  if (!surface || !surface.fill) return;

  const F = globalThis.SoftKeyPageFields;
  const KIND = surface.kind;
  const AMAZON = KIND === 'amazonLogin';
  const IDC = KIND === 'identityCenterSignin' || KIND === 'identityCenterPortal' || KIND === 'builderIdProfile';

  const ACCOUNT_TEXT_RE = /\bAccount(?:\s+ID)?\s*(?:\(12 digits\))?\s*[:#]?\s*(\d{4}-?\d{4}-?\d{4})\b/i;
  const USER_TEXT_RE = /\b(?:IAM\s+)?user(?:\s*name)?\s*:\s*([\w+=,.@-]{1,64})/i;

  /** Code fields by id, strongest first, per kind of page ([evidence] of the issue). */
  const FIELD_IDS = AMAZON
    ? ['input#auth-mfa-otpcode', 'input#ap_tokenCode']
    : IDC
      ? ['[data-testid="vmfa-authentication"] input[data-testid="test-input"]',
        '[data-testid="vmfa-authentication"] [data-testid="test-input"] input']
      : ['input#mfacode', 'input#mfaCode', 'input[name="mfaCode"]', 'input[name="mfacode"]'];
  /** What a person reads beside the code field when the ids are gone. */
  // Amazon.com's login pages also carry the AWS root user's older flow, in AWS's words.
  const FIELD_LABEL_RE = AMAZON
    ? /^(?:Enter )?(?:OTP|One[- ]Time Password|(?:the )?code|MFA code|Authentication code)\b/i
    : /^(?:MFA code|Authentication code|Authenticator (?:app )?code|Verification code|One[- ]time (?:pass)?code)\b/i;
  /** The page's own MFA wording: without it nothing is filled. */
  const MFA_TEXT_RE = AMAZON
    ? /Two-Step Verification|One Time Password|\bOTP\b|Authenticator App|Multi-factor authentication|MFA code/i
    : /Multi-factor authentication|MFA code|Authenticator app|verification code|\bMFA\b/i;
  /** A device's setup step (content/mfa-capture.js's page), which is not a sign-in prompt. */
  const SETUP_BUTTON_RE = /^(?:Add MFA|Assign MFA|Register(?: MFA| device)?|Add device)$/i;
  const SETUP_LINK_RE = /^(?:Show|Hide) secret(?: key)?$|^Can.t scan the (?:QR )?code\??$|^Show QR code$/i;
  const SUBMIT_IDS = AMAZON
    ? ['#auth-signin-button', '#signInSubmit-input', '#signInSubmit']
    : IDC
      ? ['[data-testid="vmfa-authentication"] [data-testid="test-primary-button"]', '[data-testid="test-primary-button"]']
      : ['[data-testid="mfa-submit-button"]', '#mfa_submit_button', 'a#submitMfa_button', '#submitMfa_button'];
  const SUBMIT_TEXT_RE = /^\s*(?:submit|sign[\s-]?in|verify|continue|next|confirm)\s*$/i;
  /** Smallest field a person could type into: a planted 1×1 px field is not one. */
  const MIN_FIELD = { width: 40, height: 14 };

  const handled = new WeakSet();

  // ------------------------------------------------------------------ who is signing in

  const val = (el) => (el && typeof el.value === 'string' && el.value.trim() ? el.value.trim().slice(0, 128) : null);
  const first = (selectors) => {
    for (const s of selectors) {
      const v = val(document.querySelector(s));
      if (v) return v;
    }
    return null;
  };
  const ACCOUNT_INPUTS = ['input#account', 'input[name="account"]', 'input#accountId', 'input[name="accountId"]'];
  const USER_INPUTS = ['input#username', 'input[name="username"]', 'input#iamUsername', 'input[autocomplete="username"]:not([type="email"])'];
  const EMAIL_INPUTS = ['input#ap_email', 'input#resolving_input', 'input[type="email"]', 'input[name="email"]'];

  /** Whatever the login fields hold right now, kept for the later MFA step. */
  /** The value of the visible input a person would read as `re`'s label ("Username"). */
  const labelled = (re) => val(F.inputLabelled(re));

  function snapshot() {
    const patch = {};
    const account = first(ACCOUNT_INPUTS);
    // Identity Center's login has only a label and a generated id on its username field.
    const user = first(USER_INPUTS) || labelled(/^(?:IAM )?user ?name$/i);
    const email = first(EMAIL_INPUTS) || labelled(/^(?:e-?mail(?: address)?|root user e-?mail address)$/i);
    if (account) patch.account = account;
    if (user) patch.user = user;
    if (email && email.includes('@')) patch.email = email;
    if (AMAZON && awsReturn()) patch.awsRootFlow = true;
    if (Object.keys(patch).length) F.saveSignIn(patch);
  }

  /** Amazon.com's login started by AWS (the root user's older flow): its return address is an
   * AWS sign-in or console page. */
  function awsReturn() {
    const params = new URLSearchParams(location.search);
    const back = params.get('openid.return_to');
    const target = back ? globalThis.SoftKeySites.surfaceOf(back) : null;
    if (target && target.partition !== 'amazon') return true;
    return /^aws/i.test(params.get('openid.assoc_handle') || '');
  }

  function context() {
    snapshot();
    const saved = F.savedSignIn();
    const text = (document.body && document.body.innerText) || '';
    let account = saved.account || null;
    const shown = text.match(ACCOUNT_TEXT_RE);
    if (!account && shown) account = shown[1];
    const params = new URLSearchParams(location.search);
    if (!account && params.get('account')) account = params.get('account').slice(0, 128);
    let user = saved.user || null;
    const userShown = text.match(USER_TEXT_RE);
    if (!user && userShown) user = userShown[1];
    // The worker adds what the URL itself says (per-account host, Identity Center directory).
    const message = { type: 'mfa.code' };
    if (AMAZON) {
      if (saved.email) message.email = saved.email;
      if (saved.awsRootFlow || awsReturn()) message.awsRootFlow = true;
    } else {
      if (account && !IDC) message.account = account;
      if (user) message.user = user;
      if (saved.email && !user) message.email = saved.email;
    }
    return message;
  }

  for (const type of ['input', 'change']) {
    document.addEventListener(type, (ev) => {
      if (ev.target instanceof HTMLInputElement && ev.target.type !== 'password') snapshot();
    }, true);
  }
  document.addEventListener('submit', snapshot, true);
  document.addEventListener('click', snapshot, true);
  window.addEventListener('pagehide', snapshot);

  // The user's own steps through the sign-in (a trusted click or Enter: a page script can make
  // neither) are what allow the worker to give out a code in this tab. Not `submit`: a script's
  // form.requestSubmit(), or its synthetic click on a submit button, makes the browser fire a
  // trusted submit event.
  let flowSent = 0;
  function userStep(ev) {
    if (!ev.isTrusted) return;
    if (ev.type === 'keydown' && ev.key !== 'Enter') return;
    if (ev.type === 'click' && !(ev.target instanceof Element && ev.target.closest('button, a, input, [role="button"], label'))) return;
    const now = Date.now();
    if (now - flowSent < 250) return;
    flowSent = now;
    F.send({ type: 'mfa.flow' }).then(() => {
      // A prompt that appeared before the user's step (a page that opens on its MFA step) is
      // served now.
      const field = waiting;
      waiting = null;
      if (field && field.isConnected && field.value === '') onField(field);
    });
  }
  let waiting = null;
  for (const type of ['click', 'keydown']) document.addEventListener(type, userStep, true);

  // ------------------------------------------------------------------ the field

  /** Visible (opacity too), open to input, of sensible size and inside the viewport. */
  function usable(el, min = { width: 1, height: 1 }) {
    if (!el.isConnected || el.type === 'hidden' || el.disabled || el.readOnly) return false;
    if (typeof el.checkVisibility === 'function') {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    } else if (!el.getClientRects().length) {
      return false;
    }
    const r = el.getBoundingClientRect();
    if (r.width < min.width || r.height < min.height) return false;
    return r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  }

  const mfaWording = () => MFA_TEXT_RE.test((document.body && document.body.innerText) || '');

  /** The one code field of the prompt, or null (none, or more than one: never guess). */
  function findField() {
    if (!mfaWording()) return null;
    // Registering a device asks for a code too, but it is capture's to fill, with that device's.
    if (F.byText('button, [role="button"], input[type="button"], input[type="submit"]', SETUP_BUTTON_RE) ||
      F.byText('a, button, [role="button"]', SETUP_LINK_RE)) return null;
    const found = new Set();
    for (const sel of FIELD_IDS) {
      for (const el of document.querySelectorAll(sel)) {
        if (el instanceof HTMLInputElement && usable(el, MIN_FIELD)) found.add(el);
      }
      if (found.size) break;
    }
    if (!found.size) {
      // No id we know: a field a person would recognise by its label, or the standard hint.
      for (const el of document.querySelectorAll('input')) {
        if (!usable(el, MIN_FIELD) || !/^(?:text|tel|number|)$/.test(el.getAttribute('type') || '')) continue;
        if (F.labelsOf(el).some((t) => FIELD_LABEL_RE.test(t)) || el.autocomplete === 'one-time-code') found.add(el);
      }
    }
    if (found.size !== 1) return null;
    const [field] = found;
    return handled.has(field) ? null : field;
  }

  /** Whether submitting `form` keeps the code on this origin. */
  function sameOriginForm(form) {
    try {
      return new URL(form.action || location.href, location.href).origin === location.origin;
    } catch (_) {
      return false;
    }
  }

  /** The MFA step's own submit button, or null. */
  function submitButton(field) {
    const scope = field.form || field.closest('[data-testid="vmfa-authentication"], form, section, main, [role="main"]') || document;
    const ok = (b) => b && usable(b) && (!b.form || sameOriginForm(b.form));
    for (const sel of SUBMIT_IDS) {
      const b = scope.querySelector(sel) || document.querySelector(sel);
      if (ok(b)) return b;
    }
    if (field.form) {
      const b = field.form.querySelector('button[type="submit"], input[type="submit"], button:not([type])');
      if (ok(b)) return b;
    }
    for (const b of scope.querySelectorAll('button, [role="button"], input[type="button"], input[type="submit"]')) {
      if (SUBMIT_TEXT_RE.test(b.textContent || b.value || '') && ok(b)) return b;
    }
    return null;
  }

  function fill(field, code, autoSubmit) {
    // The user may have started typing, or the app replaced the field meanwhile.
    if (!field.isConnected || field.value !== '' || !usable(field, MIN_FIELD)) return false;
    F.fill(field, code);
    ui.clear();
    if (autoSubmit && (!field.form || sameOriginForm(field.form))) {
      const button = submitButton(field);
      // A DOM click on the page's own button: overlays (feedback modal, cookie banner) are not
      // clicked through, and nothing else on the page is touched.
      if (button) button.click();
      else if (field.form) field.form.requestSubmit();
    }
    return true;
  }

  async function serve(field, message, answer, attempt = 0) {
    if (!answer || answer.error || answer.none) return;
    if (answer.noFlow) {
      // Not after a step of the user's own in this tab: wait for one.
      waiting = field;
      return;
    }
    if (answer.locked) {
      ui.hint(field, 'Unlock SoftKey to fill your MFA code.');
      return;
    }
    if (typeof answer.wait === 'number' && attempt < 2) {
      ui.hint(field, 'SoftKey: the code is about to change; filling the next one…');
      await new Promise((r) => setTimeout(r, Math.min(Math.max(answer.wait, 0), 31000)));
      return serve(field, message, await F.send(message), attempt + 1);
    }
    if (Array.isArray(answer.choices)) {
      const entryId = await ui.choose(field, answer.choices);
      if (!entryId) return;
      const { type: _t, ...fields } = message;
      return serve(field, message, await F.send({ ...fields, type: 'mfa.remember', entryId }), attempt);
    }
    if (typeof answer.code === 'string') {
      if (fill(field, answer.code, answer.autoSubmit === true)) document.documentElement.dataset.softkeyFilled = String(Date.now());
    }
  }

  async function onField(field) {
    handled.add(field);
    const message = context();
    await serve(field, message, await F.send(message));
  }

  // ------------------------------------------------------------------ small UI (shadow DOM)

  const ui = (() => {
    let host = null;
    let root = null;
    const CSS = `
      :host { all: initial; }
      .box { position: fixed; z-index: 2147483647; font: 13px/1.4 system-ui, sans-serif; color: #16191f;
             background: #fff; border: 1px solid #879596; border-radius: 6px; box-shadow: 0 2px 8px rgba(0,0,0,.25);
             padding: 8px 10px; max-width: 320px; }
      .hint { display: flex; gap: 8px; align-items: center; }
      button { font: inherit; cursor: pointer; border: 1px solid #879596; background: #fafafa; border-radius: 4px;
               padding: 4px 8px; text-align: left; }
      button:focus-visible { outline: 2px solid #0972d3; outline-offset: 1px; }
      .list { display: flex; flex-direction: column; gap: 4px; margin: 6px 0; }
      .x { border: 0; background: none; padding: 0 4px; }
      h2 { font-size: 13px; margin: 0; font-weight: 600; }`;

    function mount() {
      if (host && host.isConnected) return;
      host = document.createElement('softkey-mfa-ui');
      root = host.attachShadow({ mode: 'open' });
      const style = document.createElement('style');
      style.textContent = CSS;
      root.append(style);
      document.documentElement.append(host);
    }

    function clear() {
      if (root) for (const el of root.querySelectorAll('.box')) el.remove();
    }

    /** What our boxes must never cover: the prompt's field, buttons, links and checkboxes. */
    function protectedRects(field) {
      const scope = field.form || field.closest('[data-testid="vmfa-authentication"], form, section, main') || document.body;
      const els = [field, ...scope.querySelectorAll('button, a, [role="button"], input[type="submit"], input[type="checkbox"], input[type="radio"], label')];
      return els.filter((el) => el.getClientRects().length).map((el) => el.getBoundingClientRect());
    }

    /** Puts `box` where it covers none of the prompt's controls: below the field, above it,
     * beside its form, or in a free corner. */
    function place(box, field) {
      box.style.visibility = 'hidden';
      box.style.left = '0px';
      box.style.top = '0px';
      const { width, height } = box.getBoundingClientRect();
      const f = field.getBoundingClientRect();
      const scope = (field.form || field.closest('form, section, main') || field).getBoundingClientRect();
      const avoid = protectedRects(field);
      const gap = 8;
      const spots = [
        [f.left, scope.bottom + gap], [scope.right + gap, f.top], [scope.left - width - gap, f.top],
        [f.left, scope.top - height - gap], [innerWidth - width - 16, innerHeight - height - 16],
        [innerWidth - width - 16, 16], [16, 16], [16, innerHeight - height - 16],
      ];
      const clear = ([x, y]) => x >= 0 && y >= 0 && x + width <= innerWidth && y + height <= innerHeight &&
        avoid.every((r) => x + width <= r.left || x >= r.right || y + height <= r.top || y >= r.bottom);
      const [x, y] = spots.find(clear) || spots[4];
      box.style.left = `${Math.round(x)}px`;
      box.style.top = `${Math.round(y)}px`;
      box.style.visibility = '';
    }

    function hint(field, text) {
      mount();
      clear();
      const box = document.createElement('div');
      box.className = 'box hint';
      box.setAttribute('role', 'status');
      const span = document.createElement('span');
      span.textContent = text;
      const close = document.createElement('button');
      close.className = 'x';
      close.setAttribute('aria-label', 'Dismiss');
      close.textContent = '×';
      close.addEventListener('click', () => box.remove());
      box.append(span, close);
      root.append(box);
      place(box, field);
    }

    /** Lets the user pick an entry; resolves with its id, or null when dismissed. */
    function choose(field, choices) {
      mount();
      clear();
      return new Promise((resolve) => {
        const box = document.createElement('div');
        box.className = 'box';
        box.setAttribute('role', 'dialog');
        box.setAttribute('aria-label', 'Choose a SoftKey MFA entry');
        const title = document.createElement('h2');
        title.textContent = 'SoftKey: which MFA code?';
        const list = document.createElement('div');
        list.className = 'list';
        const done = (id) => { box.remove(); resolve(id); };
        for (const c of choices.slice(0, 20)) {
          const b = document.createElement('button');
          b.type = 'button';
          b.textContent = String(c.label).slice(0, 120);
          b.dataset.entryId = c.id;
          b.addEventListener('click', () => done(c.id));
          list.append(b);
        }
        const cancel = document.createElement('button');
        cancel.type = 'button';
        cancel.textContent = 'Not now';
        cancel.addEventListener('click', () => done(null));
        box.addEventListener('keydown', (ev) => {
          const buttons = [...box.querySelectorAll('button')];
          const i = buttons.indexOf(root.activeElement);
          if (ev.key === 'Escape') { ev.preventDefault(); done(null); }
          else if (ev.key === 'ArrowDown') { ev.preventDefault(); buttons[(i + 1) % buttons.length].focus(); }
          else if (ev.key === 'ArrowUp') { ev.preventDefault(); buttons[(i - 1 + buttons.length) % buttons.length].focus(); }
        });
        box.append(title, list, cancel);
        root.append(box);
        place(box, field);
        list.querySelector('button')?.focus();
      });
    }

    return { hint, choose, clear };
  })();

  // ------------------------------------------------------------------ watching the page

  F.watchPage(() => {
    const field = findField();
    if (field && field.value === '') onField(field);
  }, { delay: 100, attributeFilter: ['hidden', 'style', 'class', 'disabled'] });
})();
