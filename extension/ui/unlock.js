// Opened by the service worker when a sign-in for one of our keys arrives while the vault is
// locked; the worker answers the page itself once the vault is unlocked.
import { call } from '../shared/ui-api.js';
import { $, fillIcons, param, siteName, errorText, nfc, busy } from './common.js';

const requestId = param('request');

async function show() {
  fillIcons();
  const prompt = await call('consent.get', { requestId }).catch(() => null);
  if (prompt) {
    $('#unlock-lead').textContent =
      `${siteName(prompt.rpId, prompt.origin)} is asking for your security key. Unlock SoftKey to continue.`;
  }
  $('#password').focus();
}

$('#unlock-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const password = nfc($('#password').value);
  busy($('#unlock-form'), 'Unlocking…', async () => {
    try {
      await call('vault.unlock', { password });
      window.close();
    } catch (e) {
      $('#unlock-error').textContent = errorText(e);
      $('#password').select();
    }
  });
});

async function cancel() {
  await call('consent.answer', { requestId, decision: 'cancel' }).catch(() => {});
  window.close();
}
$('#cancel').addEventListener('click', cancel);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') cancel();
});
show();
