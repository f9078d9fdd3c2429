// First run: choose the vault password (twice), then say what to do next in AWS.
import { call } from '../shared/ui-api.js';
import {
  $, h, fillIcons, nfc, passwordStrength, errorText, setFieldError, setMessage, busy,
  wirePasswordToggles, MIN_PASSWORD_LENGTH,
} from './common.js';

const DEFAULT_HINT = $('#strength-text').textContent;

function show(step) {
  for (const id of ['step-password', 'step-done', 'step-exists']) $(`#${id}`).hidden = id !== step;
}

function updateStrength() {
  const input = $('#password');
  const { score, label, hint } = passwordStrength(input.value);
  $('#strength').dataset.score = String(input.value ? score : 0);
  const text = $('#strength-text');
  if (!input.value) text.textContent = DEFAULT_HINT;
  else text.replaceChildren(h('b', {}, label), hint ? ` · ${hint}` : '');
}

async function submit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const password = $('#password');
  const confirm = $('#confirm');
  setFieldError(password, '');
  setFieldError(confirm, '');
  setMessage($('#setup-error'), '');
  if ([...password.value].length < MIN_PASSWORD_LENGTH) {
    setFieldError(password, `Too short: use at least ${MIN_PASSWORD_LENGTH} characters.`);
    password.focus();
    return;
  }
  if (password.value !== confirm.value) {
    setFieldError(confirm, 'The passwords don’t match. Type the same password twice.');
    confirm.select();
    confirm.focus();
    return;
  }
  try {
    await busy(form, 'Creating…', () => call('vault.create', { password: nfc(password.value) }));
  } catch (error) {
    setMessage($('#setup-error'), errorText(error));
    return;
  }
  form.reset();
  show('step-done');
  $('#done-title').focus();
}

async function start() {
  fillIcons();
  wirePasswordToggles();
  $('#password').addEventListener('input', () => {
    setFieldError($('#password'), '');
    updateStrength();
  });
  $('#confirm').addEventListener('input', () => setFieldError($('#confirm'), ''));
  $('#setup-form').addEventListener('submit', submit);
  try {
    const { state } = await call('vault.status');
    if (state !== 'none') show('step-exists');
  } catch (error) {
    setMessage($('#setup-error'), errorText(error));
  }
}

start();
