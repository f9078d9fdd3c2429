// A prompt window for one pending page request: register a new security key, or sign in with
// one (when sign-in auto-approval is off). Closing the window counts as Cancel.
import { call } from '../shared/ui-api.js';
import { $, fillIcons, param, siteName, errorText } from './common.js';

const requestId = param('request');

async function answer(decision) {
  const label = $('#key-name').value.trim() || undefined;
  try {
    await call('consent.answer', { requestId, decision, label });
  } finally {
    window.close();
  }
}

function fact(list, term, value) {
  if (!value) return;
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

async function show() {
  fillIcons();
  let prompt;
  try {
    prompt = await call('consent.get', { requestId });
  } catch (e) {
    $('#consent-error').textContent = errorText(e);
    return;
  }
  if (!prompt) {
    $('#consent-title').textContent = 'This request has ended';
    $('#consent-lead').textContent = 'The page stopped waiting. You can close this window.';
    $('#consent-form').hidden = true;
    return;
  }
  const site = siteName(prompt.rpId, prompt.origin);
  const user = prompt.aws?.user || prompt.userName;
  if (prompt.kind === 'create') {
    $('#consent-title').textContent = `Register a security key for ${site}?`;
    $('#consent-lead').textContent = 'SoftKey will create a new key in your vault. Only this site can use it.';
    $('#approve').textContent = 'Register';
    $('#name-field').hidden = false;
    $('#key-name').value = prompt.label ?? '';
  } else {
    $('#consent-title').textContent = `Sign in to ${site}${user ? ` as ${user}` : ''}?`;
    $('#consent-lead').textContent = 'SoftKey will use your software security key for this sign-in.';
    $('#approve').textContent = 'Sign in';
  }
  const facts = $('#consent-facts');
  fact(facts, 'Page', prompt.origin);
  fact(facts, 'AWS account', prompt.aws?.account);
  fact(facts, 'User', user);
  $('#approve').focus();
}

$('#consent-form').addEventListener('submit', (event) => {
  event.preventDefault();
  answer('approve');
});
$('#fallback').addEventListener('click', () => answer('fallback'));
$('#cancel').addEventListener('click', () => answer('cancel'));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') answer('cancel');
});
show();
