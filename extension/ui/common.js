// @ts-check
// Small helpers shared by the extension pages (popup, setup, unlock, consent).
// No framework: a DOM builder, icons, dialogs, a toast, password checks and formatting.
import { call } from '../shared/ui-api.js';
// Defines the pages' shared elements (<sk-field>…) before any page script looks for what they build.
import './shared/elements.js';

/**
 * First element matching `selector` under `root`. Typed `any` on purpose: the caller knows which
 * element of its page the selector names (an input, a dialog…), which no type could say here.
 * @type {(selector: string, root?: ParentNode) => any}
 */
export const $ = (selector, root = document) => root.querySelector(selector);

/**
 * Build an element: h('button', {class: 'btn', type: 'button', onclick: fn}, 'Text', child…).
 * Attributes: `class`, `text`, `dataset`, `on<event>` (listeners), booleans (set when true),
 * anything else through setAttribute. Children: nodes, strings, arrays, null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// 24×24 stroke icons (drawn for this project), as SVG path data.
const ICONS = {
  lock: 'M7 11V8a5 5 0 0 1 10 0v3 M5 11h14v10H5z M12 15v2',
  plus: 'M12 5v14 M5 12h14',
  edit: 'M4 20h4L19 9l-4-4L4 16z M13.5 6.5l4 4',
  trash: 'M4 7h16 M10 11v6 M14 11v6 M6 7l1 13h10l1-13 M9 7V4h6v3',
  search: 'M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14z M16 16l4.5 4.5',
  key: 'M7.5 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M11.5 12H21 M18 12v3.5 M15 12v2.5',
  close: 'M6 6l12 12 M18 6L6 18',
  qr: 'M4 4h6v6H4z M14 4h6v6h-6z M4 14h6v6H4z M14 14h2v2h-2z M18 18h2v2h-2z M14 18h2 M18 14h2',
  copy: 'M9 9h11v11H9z M5 15H4V4h11v1',
  shield: 'M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z M8.5 12l2.5 2.5 4.5-5',
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M12 7v5l3 2',
};

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A decorative SVG icon (aria-hidden); label the button that holds it instead. */
export function icon(name, size = 18) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name] || '');
  svg.append(path);
  return svg;
}

/** Put the named icons into every `[data-icon]` placeholder under `root`. */
export function fillIcons(root = document) {
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-icon]'))) {
    if (!el.querySelector('svg.icon')) el.prepend(icon(el.dataset.icon, Number(el.dataset.iconSize) || 18));
  }
}

/** Passwords are NFC-normalized before they leave a page, so "é" typed two ways unlocks alike. */
export const nfc = (password) => password.normalize('NFC');

/** Unpadded base64url of bytes (files travel to the worker this way: ui-api.js). */
export function bytesToB64u(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Puts `text` on the clipboard; where the async API is refused (no focus or permission), the old
 * way through a selected textarea. Throws when neither works.
 * @param {string} text
 */
export async function writeClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    const area = h('textarea', { class: 'sr-only', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) throw new Error('The clipboard is not available here.');
  }
}

export const MIN_PASSWORD_LENGTH = 8;

/**
 * A rough strength hint from length and variety only (no dictionary): {score 0–4, label, hint}.
 * 0 = too short, 1 weak, 2 fair, 3 good, 4 strong.
 */
export function passwordStrength(password) {
  const chars = [...password];
  if (chars.length === 0) return { score: 0, label: '', hint: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (chars.length < MIN_PASSWORD_LENGTH) {
    return { score: 0, label: 'Too short', hint: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  }
  /** @type {[RegExp, number][]} character classes and their sizes */
  const classes = [
    [/[a-z]/, 26], [/[A-Z]/, 26], [/[0-9]/, 10], [/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/, 33], [/[^\x00-\x7f]/, 100],
  ];
  const used = classes.filter(([re]) => chars.some((c) => re.test(c)));
  const pool = used.reduce((sum, [, size]) => sum + size, 0) || 26;
  // Repeats add little: count each distinct character fully, repeats at a quarter.
  const distinct = new Set(chars).size;
  const effective = distinct + (chars.length - distinct) / 4;
  const bits = effective * Math.log2(pool);
  const score = bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  const label = ['Too short', 'Weak', 'Fair', 'Good', 'Strong'][score];
  let hint = '';
  if (score < 4) {
    if (used.length < 3 && chars.length < 16) hint = 'Mix in upper case, digits or symbols, or make it longer.';
    else hint = 'Longer is stronger: a few unrelated words work well.';
  }
  if (distinct < chars.length / 2) hint = 'Avoid repeating the same characters.';
  return { score, label, hint };
}

/** "123456" → ["123", "456"]; 8 digits → 4 + 4; odd lengths put the extra digit first. */
export function codeGroups(code) {
  const s = String(code);
  if (s.length < 6) return [s];
  const first = Math.ceil(s.length / 2);
  return [s.slice(0, first), s.slice(first)];
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const thisYearFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** A date, without the year when it is this year's. */
export const formatDate = (ms) => (new Date(ms).getFullYear() === new Date().getFullYear()
  ? thisYearFormat : dateFormat).format(new Date(ms));
export const formatDateTime = (ms) => dateTimeFormat.format(new Date(ms));

/** "just now", "5 minutes ago", "yesterday", then a date. */
export function timeAgo(ms, now = Date.now()) {
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 7) return relative.format(Math.round(seconds / 86400), 'day');
  return formatDate(ms);
}

/** The message to show for an error from the service worker. */
export function errorText(error) {
  switch (error?.name) {
    case 'WrongPassword': return 'Wrong password';
    case 'VaultLocked': return 'SoftKey is locked. Unlock it and try again.';
    case 'NoVault': return 'SoftKey is not set up yet.';
    case 'NoAnswer': return 'SoftKey did not answer. Close this window and try again.';
    default: return error?.message || 'Something went wrong.';
  }
}

let toastTimer = 0;
/** A short message at the bottom of the page, announced politely to screen readers. */
export function toast(message, { kind = 'info', ms = 1800 } = {}) {
  let el = document.getElementById('toast');
  if (!el) {
    el = h('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite' });
    document.body.append(el);
  }
  el.textContent = message;
  el.dataset.kind = kind;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), ms);
}

/**
 * Show or clear the error under a field (the `<p class="field-error">` named by the input's
 * aria-describedby or given explicitly), marking the input invalid for assistive tech.
 */
export function setFieldError(input, message, errorEl = null) {
  const target = errorEl || document.getElementById(input.dataset.error || '');
  if (target) {
    target.textContent = message || '';
    target.hidden = !message;
  }
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Show a message in an element (role=alert) or hide it when empty. */
export function setMessage(el, message) {
  el.textContent = message || '';
  el.hidden = !message;
}

/** Disable a form's controls while `work` runs; the submit button shows `busyLabel`. */
export async function busy(form, busyLabel, work) {
  const submit = form.querySelector('[type=submit]');
  const label = submit?.textContent;
  const controls = [...form.elements].filter((c) => !c.disabled);
  controls.forEach((c) => { c.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  if (submit && busyLabel) submit.textContent = busyLabel;
  try {
    return await work();
  } finally {
    controls.forEach((c) => { c.disabled = false; });
    form.removeAttribute('aria-busy');
    if (submit && busyLabel) submit.textContent = label;
  }
}

/**
 * The unlock form's submit (popup and unlock window): an empty password is refused on the spot,
 * else SoftKey is unlocked with it while the form is busy. Resolves true once unlocked (the field
 * is then cleared); a failure is shown under the field unless `handled(error)` took care of it.
 */
/**
 * @param {SubmitEvent} event
 * @param {HTMLInputElement} input
 * @param {(error: any) => boolean} [handled]
 */
export async function unlockFromForm(event, input, handled = () => false) {
  event.preventDefault();
  if (!input.value) {
    setFieldError(input, 'Enter your password.');
    input.focus();
    return false;
  }
  try {
    await busy(event.currentTarget, 'Unlocking…', () => call('vault.unlock', { password: nfc(input.value) }));
  } catch (error) {
    if (!handled(error)) {
      setFieldError(input, errorText(error));
      input.select();
      input.focus();
    }
    return false;
  }
  input.value = '';
  return true;
}

/**
 * Open a `<dialog>` modally. Escape closes it (the browser's `cancel`), focus returns to
 * whatever had it before. Resolves with the dialog's returnValue when it closes.
 */
/**
 * @param {HTMLDialogElement} dialog
 * @param {{focus?: string | null}} [options] the selector of what gets focus (else `[autofocus]`)
 * @returns {Promise<string>}
 */
export function openDialog(dialog, { focus = null } = {}) {
  const opener = /** @type {HTMLElement | null} */ (document.activeElement);
  dialog.returnValue = '';
  return new Promise((resolve) => {
    const onClose = () => {
      dialog.removeEventListener('close', onClose);
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(dialog.returnValue);
    };
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    /** @type {HTMLElement | null} */
    const target = dialog.querySelector(focus || '[autofocus]');
    if (target) target.focus();
  });
}

/** Wire the show/hide toggles (`button[data-reveal=<input id>]`) of password fields. */
export function wirePasswordToggles(root = document) {
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (root.querySelectorAll('button[data-reveal]'))) {
    const input = /** @type {HTMLInputElement} */ (document.getElementById(button.dataset.reveal ?? ''));
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(show));
      button.setAttribute('aria-label', show ? 'Hide password' : 'Show password');
      input.focus();
    });
  }
}

/** Query parameter of this page's URL. */
export const param = (name) => new URLSearchParams(location.search).get(name);

/** The host part of an origin or RP ID, for sentences ("amazon.com is asking…"). */
export function siteName(rpId, origin) {
  if (rpId) return rpId;
  try {
    return new URL(origin).hostname;
  } catch (_) {
    return 'A website';
  }
}
