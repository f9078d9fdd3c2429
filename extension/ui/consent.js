// Asks the user about a pending page request (the service worker opened this window):
// register a new security key (`create`) or sign in with one (`get`). One answer, then close.
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
    // An optional fact (the key's name) is left out rather than shown as missing.
    if (!value && dd.dataset.fact === 'label') {
      dd.hidden = true;
      section.querySelector('[data-fact-term="label"]').hidden = true;
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
  if (decision === 'approve' && details.kind === 'create') {
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
  const facts = { account: details.aws?.account, user, label: details.label };
  try {
    if (details.origin) $('#origin').textContent = `Asked by ${new URL(details.origin).host}`;
  } catch (_) { /* no origin line */ }
  document.title = `${site} — SoftKey`;
  if (details.kind === 'create') {
    $('#create .rp').textContent = site;
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
