// Fills (and, with the autoSubmit setting for this site, submits) the TOTP code on AWS's and Amazon.com's MFA
// sign-in prompts. Isolated world, top frame, document_idle; a MutationObserver catches the field
// of the single-page sign-in app, which appears late.
//
// The page never receives anything but the code it asked for: which entry fits is decided by
// the service worker (background/mfa-handlers.js), which also checks this frame's origin itself.
// Account, user and e-mail are read from the page and from what the user typed earlier in the
// flow (kept in this origin's sessionStorage: names the site already knows, never a code).
// content/page-fields.js runs before it in the same world.
(() => {
  'use strict';
  if (window.top !== window) return;
  const host = location.hostname;
  const SIGNIN_HOST = /^(?:signin\.aws\.amazon\.com|[a-z0-9-]+\.signin\.aws\.amazon\.com)$/;
  const amazon = host === 'www.amazon.com' && location.pathname.startsWith('/ap/');
  // Defence in depth: the manifest limits where this runs; so does this line.
  if (location.protocol !== 'https:' || !(SIGNIN_HOST.test(host) || amazon)) return;

  const F = globalThis.SoftKeyPageFields;
  const REGION_RE = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
  const ACCOUNT_TEXT_RE = /\bAccount(?:\s+ID)?\s*(?:\(12 digits\))?\s*[:#]?\s*(\d{4}-?\d{4}-?\d{4})\b/i;
  const USER_TEXT_RE = /\b(?:IAM\s+)?user(?:\s+name)?\s*:\s*([\w+=,.@-]{1,64})/i;

  /** Code fields, strongest signal first. `needsText`: only with MFA wording on the page. */
  const FIELDS = [
    { sel: 'input#mfacode' },
    { sel: 'input#mfaCode' },
    { sel: 'input[name="mfaCode"]' },
    { sel: 'input#auth-mfa-otpcode' },
    { sel: 'input#ap_tokenCode' },
    { sel: 'input[autocomplete="one-time-code"]', needsText: true },
  ];
  const MFA_TEXT_RE = amazon
    ? /Two-Step Verification|One Time Password|\bOTP\b|Authenticator App/i
    : /Multi-factor authentication|MFA code/i;
  const SUBMITS = ['a#submitMfa_button', '#submitMfa_button', '#auth-signin-button', '#signInSubmit'];
  const SUBMIT_TEXT_RE = /^\s*(?:submit|sign[\s-]?in|verify|continue|next)\s*$/i;

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
  const USER_INPUTS = ['input#username', 'input[name="username"]', 'input#iamUsername'];
  const EMAIL_INPUTS = ['input#ap_email', 'input#resolving_input', 'input[type="email"]', 'input[name="email"]'];

  /** Whatever the login fields hold right now, kept for the later MFA step. */
  function snapshot() {
    const patch = {};
    const account = first(ACCOUNT_INPUTS);
    const user = first(USER_INPUTS);
    const email = first(EMAIL_INPUTS);
    if (account) patch.account = account;
    if (user) patch.user = user;
    if (email && email.includes('@')) patch.email = email;
    if (Object.keys(patch).length) F.saveSignIn(patch);
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
    const label = host.split('.')[0];
    if (!account && host.endsWith('.signin.aws.amazon.com') && !REGION_RE.test(label)) account = label;
    let user = saved.user || null;
    const userShown = text.match(USER_TEXT_RE);
    if (!user && userShown) user = userShown[1];
    const message = { type: 'mfa.code' };
    if (amazon) {
      if (saved.email) message.email = saved.email;
    } else {
      if (account) message.account = account;
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

  // ------------------------------------------------------------------ the field

  /** Visible (opacity too), with a size, and open to input: a field or button to use. */
  function usable(el) {
    if (!el.isConnected || el.type === 'hidden' || el.disabled || el.readOnly) return false;
    if (typeof el.checkVisibility === 'function') {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    } else if (!el.getClientRects().length) {
      return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }

  function findField() {
    let text = null;
    for (const { sel, needsText } of FIELDS) {
      for (const el of document.querySelectorAll(sel)) {
        if (!(el instanceof HTMLInputElement) || handled.has(el) || !usable(el)) continue;
        if (needsText) {
          text ??= (document.body && document.body.innerText) || '';
          if (!MFA_TEXT_RE.test(text)) continue;
        }
        return el;
      }
    }
    return null;
  }

  function submitButton(field) {
    const scope = field.form || field.closest('section, main, [role="main"], div') || document;
    for (const sel of SUBMITS) {
      const b = scope.querySelector(sel) || document.querySelector(sel);
      if (b && usable(b)) return b;
    }
    if (field.form) {
      const b = field.form.querySelector('button[type="submit"], input[type="submit"], button:not([type])');
      if (b && usable(b)) return b;
    }
    for (const b of scope.querySelectorAll('button, [role="button"], input[type="button"]')) {
      const label = b.textContent || b.value || '';
      if (SUBMIT_TEXT_RE.test(label) && usable(b)) return b;
    }
    return null;
  }

  function fill(field, code, autoSubmit) {
    // The user may have started typing, or the app replaced the field meanwhile.
    if (!field.isConnected || field.value !== '') return false;
    F.fill(field, code);
    ui.clear();
    if (autoSubmit) {
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
    if (answer.locked) {
      ui.hint('Unlock SoftKey to fill your MFA code.');
      return;
    }
    if (typeof answer.wait === 'number' && attempt < 2) {
      ui.hint('SoftKey: the code is about to change; filling the next one…');
      await new Promise((r) => setTimeout(r, Math.min(Math.max(answer.wait, 0), 31000)));
      return serve(field, message, await F.send(message), attempt + 1);
    }
    if (Array.isArray(answer.choices)) {
      const entryId = await ui.choose(field, answer.choices);
      if (!entryId) return;
      const { type: _t, ...fields } = message;
      return serve(field, message, await F.send({ ...fields, type: 'mfa.remember', entryId }), attempt);
    }
    if (typeof answer.code === 'string' && /^\d{6,8}$/.test(answer.code)) {
      fill(field, answer.code, answer.autoSubmit === true);
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
      .hint { right: 16px; bottom: 16px; display: flex; gap: 8px; align-items: center; }
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

    function hint(text) {
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
        const r = field.getBoundingClientRect();
        box.style.left = `${Math.max(8, Math.min(r.left, innerWidth - 330))}px`;
        box.style.top = `${Math.min(r.bottom + 6, innerHeight - 40)}px`;
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
