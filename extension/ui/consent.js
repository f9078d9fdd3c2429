// Asks the user about a pending page request (the service worker opened this window):
// register a new security key (`create`, or `u2fRegister` for the legacy U2F API) or sign in
// with one (`get`). One answer, then close.
// Enter = the primary action, Escape = cancel. Closing the window unanswered counts as cancel
// (the service worker sees the window go).
import { call } from '../shared/ui-api.js';
import { $, fillIcons, errorText, param, siteName } from './common.js';

const requestId = param('request');
let details = null;
let answered = false;

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
  for (const s of ['create', 'get', 'gone']) $(`#${s}`).hidden = s !== id;
  $('#main').removeAttribute('aria-busy');
}

async function answer(decision) {
  if (answered || !details) return;
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
  const site = siteName(details.rpId, details.origin);
  const user = details.aws?.user || details.userName || '';
  const facts = { account: details.aws?.account, user, label: details.label, appId: details.appId };
  // The legacy U2F API has no browser of its own to hand the request to.
  if (details.noFallback) {
    for (const button of document.querySelectorAll('[data-decision="fallback"]')) button.hidden = true;
  }
  try {
    if (details.origin) $('#origin').textContent = `Asked by ${new URL(details.origin).host}`;
  } catch (_) { /* no origin line */ }
  document.title = `${site} — SoftKey`;
  if (details.kind === 'create' || details.kind === 'u2fRegister') {
    $('#create .rp').textContent = site;
    if (details.kind === 'u2fRegister') {
      $('#create-title').textContent = `Register a software security key (legacy U2F) for ${site}?`;
      $('#u2f-note').hidden = false;
    }
    fill($('#create'), facts);
    $('#key-name').value = details.label || '';
    show('create');
    $('#key-name').focus();
    $('#key-name').select();
  } else {
    $('#get-title').textContent = user
      ? `Sign in to ${site} as ${user} with your software security key?`
      : `Sign in to ${site} with your software security key?`;
    fill($('#get'), facts);
    show('get');
    $('#get-form [type=submit]').focus();
  }
}

start();
