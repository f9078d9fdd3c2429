// Opened by the service worker when a page asks for the security key while SoftKey is locked.
// Unlocking is all this window does: the service worker resumes the page's request by itself
// once `vault.unlock` succeeds. Cancel (or Escape) answers the request with "cancel".
import { call } from '../shared/ui-api.js';
import { $, fillIcons, setFieldError, wirePasswordToggles, unlockFromForm, param } from './common.js';

const requestId = param('request');
let finished = false;

async function describe() {
  if (!requestId) return;
  try {
    const details = await call('consent.get', { requestId });
    if (!details) return;
    // The caller is named by its origin's host (from the browser), never by an RP ID or name
    // the page chose: a page must not make this window say "google.com is asking".
    const host = details.host || new URL(details.origin).host;
    $('#site').textContent = host;
    $('#origin').textContent = host;
    if (details.kind === 'create') $('#ask').textContent = 'wants to register a security key.';
  } catch (_) {
    // The sentence stays generic; unlocking works all the same.
  }
}

async function submit(event) {
  if (!(await unlockFromForm(event, $('#password')))) return;
  finished = true;
  window.close();
}

async function cancel() {
  if (finished) return;
  finished = true;
  if (requestId) {
    try {
      await call('consent.answer', { requestId, decision: 'cancel' });
    } catch (_) {
      // Already answered or gone: closing the window is all that is left to do.
    }
  }
  window.close();
}

fillIcons();
wirePasswordToggles();
$('#unlock-form').addEventListener('submit', submit);
$('#password').addEventListener('input', (e) => setFieldError(e.target, ''));
$('[data-decision="cancel"]').addEventListener('click', cancel);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    cancel();
  }
});
describe();
