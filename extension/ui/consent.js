// Asks the user about a pending page request (the service worker opened this window):
// register a new security key (`create`, or `u2fRegister` for the legacy U2F API) or sign in
// with one (`get`). One answer, then close.
// Enter = the primary action, Escape = cancel. Closing the window unanswered counts as cancel
// (the service worker sees the window go).
//
// Against keyjacking (a page calls create() just as the user is about to press Enter or click
// where the window will appear): approving is ignored for ARM_DELAY_MS after the question is
// shown, and a registration puts the focus on nothing, so a stray Enter does nothing; the user
// clicks Register, or the name field and then Enter. Cancelling is never delayed.
// The caller is named by its origin's host (from the browser), never by a name the page chose.
import { call } from '../shared/ui-api.js';
import { $, fillIcons, errorText, param } from './common.js';

/** How long approving is ignored after the question appears. */
export const ARM_DELAY_MS = 700;

const requestId = param('request');
let details = null;
let answered = false;
let armedAt = Infinity;

/** Whether an approval now is the user's, not a keystroke meant for the page. */
const armed = () => performance.now() >= armedAt;

/** The caller's host, from the origin the browser reported. */
function callerHost(d) {
  if (d.host) return d.host;
  try {
    return new URL(d.origin).host;
  } catch (_) {
    return 'A website';
  }
}

function fill(section, facts) {
  for (const dd of section.querySelectorAll('[data-fact]')) {
    const value = facts[dd.dataset.fact];
    dd.textContent = value || 'Not shown by the page';
    dd.classList.toggle('muted', !value);
    // Optional facts (the key's name, a U2F AppID) are left out rather than shown as missing.
    if (!value && (dd.dataset.fact === 'label' || dd.dataset.fact === 'appId')) {
      dd.hidden = true;
      section.querySelector(`[data-fact-term="${dd.dataset.fact}"]`).hidden = true;
    } else if (value && dd.dataset.fact === 'appId') {
      dd.hidden = false;
      section.querySelector('[data-fact-term="appId"]').hidden = false;
    }
  }
}

function show(id) {
  for (const s of ['create', 'get', 'excluded', 'gone']) $(`#${s}`).hidden = s !== id;
  $('#main').removeAttribute('aria-busy');
}

async function answer(decision) {
  if (answered || !details) return;
  if (decision === 'approve' && !armed()) return;
  answered = true;
  for (const control of document.querySelectorAll('button, input')) control.disabled = true;
  const payload = { requestId, decision };
  if (decision === 'approve' && (details.kind === 'create' || details.kind === 'u2fRegister')) {
    const label = $('#key-name').value.trim();
    if (label) payload.label = label;
  }
  try {
    await call('consent.answer', payload);
  } catch (error) {
    // Nothing waits for an answer any more; say so instead of closing silently.
    show('gone');
    $('#gone-title').textContent = errorText(error);
    $('#close').disabled = false;
    $('#close').focus();
    return;
  }
  window.close();
}

async function start() {
  fillIcons();
  for (const button of document.querySelectorAll('[data-decision]')) {
    button.addEventListener('click', () => answer(button.dataset.decision));
  }
  $('#create-form').addEventListener('submit', (e) => { e.preventDefault(); answer('approve'); });
  $('#get-form').addEventListener('submit', (e) => { e.preventDefault(); answer('approve'); });
  $('#close').addEventListener('click', () => window.close());
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    if (details && !answered) answer('cancel');
    else window.close();
  });

  try {
    details = requestId ? await call('consent.get', { requestId }) : null;
  } catch (_) {
    details = null;
  }
  if (!details) {
    show('gone');
    $('#close').focus();
    return;
  }
  const site = callerHost(details);
  const user = details.aws?.user || details.userName || '';
  const facts = { account: details.aws?.account, user, label: details.label, appId: details.appId };
  // The legacy U2F API has no browser of its own to hand the request to.
  if (details.noFallback) {
    for (const button of document.querySelectorAll('[data-decision="fallback"]')) button.hidden = true;
  }
  $('#origin').textContent = details.embeddedIn
    ? `Asked by ${site}, inside a page of ${details.embeddedIn}` : `Asked by ${site}`;
  document.title = `${site} — SoftKey`;
  if (details.kind === 'excluded') {
    // A key of ours is on the site's exclude list: the site hears so only after this.
    $('#excluded .rp').textContent = site;
    show('excluded');
  } else if (details.kind === 'create' || details.kind === 'u2fRegister') {
    $('#create .rp').textContent = site;
    if (details.kind === 'u2fRegister') {
      $('#create-title').textContent = `Register a software security key (legacy U2F) for ${site}?`;
      $('#u2f-note').hidden = false;
    }
    fill($('#create'), facts);
    $('#key-name').value = details.label || '';
    show('create');
    // No default focus: Enter alone must not register a key.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  } else {
    $('#get-title').textContent = user
      ? `Sign in to ${site} as ${user} with your software security key?`
      : `Sign in to ${site} with your software security key?`;
    fill($('#get'), facts);
    show('get');
  }
  // The approve buttons stay disabled until then (a disabled default button also stops Enter
  // from submitting the form), and answer() checks the time again.
  const approvers = [...document.querySelectorAll('[type=submit], [data-decision="approve"]')];
  for (const button of approvers) button.disabled = true;
  armedAt = performance.now() + ARM_DELAY_MS;
  setTimeout(() => {
    if (answered) return;
    for (const button of approvers) button.disabled = false;
    // A sign-in's default is to sign in (Enter), once armed; a registration has no default.
    const primary = { get: '#get-form [type=submit]', excluded: '#excluded-ok' }[details.kind];
    if (primary && (!document.activeElement || document.activeElement === document.body)) $(primary).focus();
  }, ARM_DELAY_MS);
}

start();
