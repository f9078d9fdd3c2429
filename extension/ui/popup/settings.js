// @ts-check
// The Settings tab: the settings form (saved on every change), and changing the password.
import { call } from '../../shared/ui-api.js';
import {
  $, h, nfc, passwordStrength, errorText, toast, setFieldError, busy, MIN_PASSWORD_LENGTH,
} from '../common.js';
import { handledState, reportError } from './views.js';

/**
 * The settings as `settings.get` answers them (Settings in wasm/core/src/contents.rs); those
 * this page does not show are sent back as they came.
 * @typedef {{autoLockMinutes?: number, autoApproveSignIn?: boolean,
 *   autoSubmit?: {aws?: boolean, amazon?: boolean}, attestationFormat?: string,
 *   clearClipboard?: boolean, clearClipboardSeconds?: number}} Settings
 */

/** @type {Settings | null} */
let settings = null;

export async function loadSettings() {
  /** @type {Settings | undefined} */
  const loaded = await call('settings.get').catch(reportError);
  if (!loaded) return;
  settings = loaded;
  $('#set-autolock').value = String(settings.autoLockMinutes ?? 0);
  $('#set-autoapprove').checked = Boolean(settings.autoApproveSignIn);
  // Per site ({aws, amazon}, see Settings in wasm/core/src/contents.rs); on unless set off.
  $('#set-autosubmit-aws').checked = settings.autoSubmit?.aws !== false;
  $('#set-autosubmit-amazon').checked = settings.autoSubmit?.amazon !== false;
  $('#set-attestation').value = settings.attestationFormat === 'fido-u2f' ? 'fido-u2f' : 'packed';
  $('#set-clearclip').checked = settings.clearClipboard !== false;
  $('#set-clearclip-seconds').textContent = String(settings.clearClipboardSeconds ?? 30);
}

async function saveSettings() {
  if (!settings) return;
  const minutesInput = $('#set-autolock');
  const minutes = Number(minutesInput.value);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
    minutesInput.setAttribute('aria-invalid', 'true');
    toast('Auto-lock takes whole minutes from 0 to 1440', { kind: 'error', ms: 3000 });
    return;
  }
  minutesInput.removeAttribute('aria-invalid');
  const next = {
    ...settings,
    autoLockMinutes: minutes,
    autoApproveSignIn: $('#set-autoapprove').checked,
    autoSubmit: { aws: $('#set-autosubmit-aws').checked, amazon: $('#set-autosubmit-amazon').checked },
    attestationFormat: $('#set-attestation').value,
    clearClipboard: $('#set-clearclip').checked,
  };
  try {
    await call('settings.set', { settings: next });
    settings = next;
    toast('Saved');
  } catch (error) {
    reportError(error);
    loadSettings();
  }
}

/**
 * @param {HTMLInputElement} input
 * @param {HTMLElement} meter
 * @param {HTMLElement} text
 */
function updateStrength(input, meter, text) {
  const { score, label, hint } = passwordStrength(input.value);
  meter.dataset.score = String(input.value ? score : 0);
  text.replaceChildren(...(input.value ? [h('b', {}, label), hint ? ` · ${hint}` : ''] : []));
}

/** @param {SubmitEvent} event */
async function submitPassword(event) {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const current = $('#pw-current');
  const next = $('#pw-new');
  const again = $('#pw-confirm');
  for (const input of [current, next, again]) setFieldError(input, '');
  /** @type {HTMLInputElement | null} */
  let first = null;
  const fail = (/** @type {HTMLInputElement} */ input, /** @type {string} */ message) => {
    setFieldError(input, message);
    first ??= input;
  };
  if (!current.value) fail(current, 'Enter your current password.');
  if ([...next.value].length < MIN_PASSWORD_LENGTH) fail(next, `Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  else if (next.value !== again.value) fail(again, 'The new passwords don’t match.');
  if (first) {
    /** @type {HTMLInputElement} */ (first).focus();
    return;
  }
  try {
    await busy(form, 'Changing…', () => call('vault.changePassword', {
      oldPassword: nfc(current.value), newPassword: nfc(next.value),
    }));
    form.reset();
    updateStrength(next, $('#pw-new-meter'), $('#pw-new-strength'));
    toast('Password changed');
  } catch (error) {
    if (handledState(error)) return;
    if (error.name === 'WrongPassword') {
      setFieldError(current, 'The current password is wrong.');
      current.select();
      current.focus();
    } else {
      setFieldError(again, errorText(error));
    }
  }
}

export function wireSettings() {
  $('#settings-form').addEventListener('change', saveSettings);
  $('#settings-form').addEventListener('submit', (/** @type {SubmitEvent} */ e) => e.preventDefault());
  $('#password-form').addEventListener('submit', submitPassword);
  $('#pw-new').addEventListener('input', (/** @type {InputEvent} */ e) =>
    updateStrength(/** @type {HTMLInputElement} */ (e.target), $('#pw-new-meter'), $('#pw-new-strength')));
}
