// @ts-check
// The vault notice: what the service worker says about the stored vault (`notice` in
// vault.status, e.g. that it opened the vault from its second copy because the first was
// damaged). Shown above whichever view is open until the user dismisses it; the worker then
// forgets it (vault.dismissNotice), so it is said once.
import { call } from '../../shared/ui-api.js';
import { $, errorText, toast } from '../common.js';

/**
 * Shows the worker's notice, or hides the banner when there is none.
 * @param {string | undefined | null} notice
 */
export function showNotice(notice) {
  $('#vault-notice-text').textContent = notice ?? '';
  $('#vault-notice').hidden = !notice;
}

async function dismiss() {
  try {
    await call('vault.dismissNotice');
  } catch (error) {
    toast(errorText(error), { kind: 'error', ms: 4000 });
    return;
  }
  showNotice(null);
}

export function wireNotice() {
  $('#vault-notice-dismiss').addEventListener('click', dismiss);
}
