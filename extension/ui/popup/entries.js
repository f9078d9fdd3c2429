// @ts-check
// The entry dialogs of the Codes tab: add an MFA code (pasted, or a QR code scanned on the tab,
// including a Google Authenticator transfer code), edit or delete one, and show its secret as
// a QR code after the password is asked again.
import { call } from '../../shared/ui-api.js';
import {
  $, h, nfc, errorText, toast, setFieldError, busy, openDialog, bytesToB64u, writeClipboard,
} from '../common.js';
import { renderQr, readQrCodes } from '../qr.js';
import { clearSearch, entryById, loadCodes } from './codes.js';
import { awsFrom, confirmAction, deleteConfirmed, openNamed, saveNamed } from './dialogs.js';
import { handledState } from './views.js';

/** @typedef {import('./codes.js').TotpCode} TotpCode */

// ------------------------------------------------------------------- add an entry

async function openAdd() {
  $('#add-form').reset();
  $('#add-error').hidden = true;
  setFieldError($('#add-text'), '');
  await openDialog($('#add-dialog'), { focus: '#add-text' });
}

/** @param {SubmitEvent} event */
async function submitAdd(event) {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const text = $('#add-text').value.trim();
  $('#add-error').hidden = true;
  if (!text) {
    setFieldError($('#add-text'), 'Paste the secret key or the otpauth:// link.');
    $('#add-text').focus();
    return;
  }
  setFieldError($('#add-text'), '');
  await addEntry(form, text, 'Adding…');
}

/**
 * The one add path, for a pasted text and a scanned QR code alike (same checks, same messages).
 * @param {HTMLFormElement} form
 * @param {string} text
 * @param {string} busyText
 */
async function addEntry(form, text, busyText) {
  const label = $('#add-label').value.trim() || undefined;
  const aws = awsFrom($('#add-account'), $('#add-user'));
  try {
    const added = await busy(form, busyText, () => call('totp.add', {
      text, label, aws: aws.account || aws.user ? aws : undefined,
    }));
    $('#add-dialog').close('added');
    toast(`Added ${added?.label ?? 'code'}`);
    clearSearch();
    await loadCodes();
  } catch (error) {
    if (handledState(error)) return;
    // The worker's message, as it is (e.g. "unsupported otpauth type 'motp' …"); keep the form.
    showAddError(error.message || errorText(error));
  }
}

/** @param {string} message */
function showAddError(message) {
  $('#add-error-text').textContent = message;
  $('#add-error').hidden = false;
  $('#add-text').setAttribute('aria-invalid', 'true');
  $('#add-text').focus();
}

/**
 * "Scan QR code on this tab": a screenshot of the tab the popup was opened over (the toolbar
 * click grants activeTab for it), read by the QR module; the otpauth:// URI found then takes
 * the same path as a pasted one. The screenshot stays in this page and is dropped at once.
 */
async function scanTab() {
  $('#add-error').hidden = true;
  let uri;
  try {
    const texts = await busy($('#add-form'), 'Scanning…', async () =>
      readQrCodes(await chrome.tabs.captureVisibleTab({ format: 'png' })));
    const found = await call('qr.authenticatorTexts', { texts });
    uri = found.uris[0];
    const migration = found.transfers[0];
    if (!uri && migration) {
      await importTransferCode(migration);
      return;
    }
    if (!uri) {
      showAddError('The QR code on this tab is not an authenticator code (it has no otpauth:// link).');
      return;
    }
  } catch (error) {
    const message = error?.name === 'NoQrFound'
      ? 'No QR code was found on this tab. Show the QR code on the page, then scan again.'
      : `The tab could not be scanned: ${error?.message ?? error}`;
    showAddError(message);
    return;
  }
  await addEntry($('#add-form'), uri, 'Adding…');
}

/**
 * A Google Authenticator "Transfer accounts" QR code on the tab: what it holds is shown first
 * (the core's import preview), and stored only when the user says so.
 * @param {string} text
 */
async function importTransferCode(text) {
  const data = bytesToB64u(new TextEncoder().encode(text));
  let preview;
  try {
    ({ preview } = await call('transfer.preview', { data }));
  } catch (error) {
    showAddError(`The transfer code on this tab could not be read: ${errorText(error)}`);
    return;
  }
  $('#add-dialog').close('transfer');
  /** @type {string[]} */
  const names = preview.totpAdded ?? [];
  const known = (preview.totpDuplicates ?? []).length;
  if (names.length === 0) {
    toast(known ? 'Every entry of this transfer code is already in SoftKey.' : 'This transfer code holds no entry SoftKey can keep.', { ms: 3500 });
    return;
  }
  const ok = await confirmAction({
    title: `Import ${names.length} authenticator ${names.length === 1 ? 'entry' : 'entries'}?`,
    body: [h('p', {}, 'From the Google Authenticator transfer code on this tab:'), h('ul', {}, names.map((n) => h('li', {}, String(n))))],
    confirm: 'Import',
  });
  if (!ok) return;
  try {
    const { preview: done } = await call('transfer.import', { data });
    toast(`Imported ${done.totpAdded.length} authenticator ${done.totpAdded.length === 1 ? 'entry' : 'entries'}`, { ms: 2500 });
    await loadCodes();
  } catch (error) {
    toast(errorText(error), { kind: 'error', ms: 4000 });
  }
}

// ------------------------------------------------------------------ edit an entry

/** @type {TotpCode | null} */
let editing = null;

/** @param {string} id */
async function openEdit(id) {
  const entry = entryById(id);
  if (!entry) return;
  editing = entry;
  await openNamed('edit', entry);
}

/** @param {SubmitEvent} event */
function submitEdit(event) {
  const entry = editing;
  return saveNamed(event, 'edit', entry, {
    empty: 'Give this code a name.',
    save: ({ label, aws }) => call('totp.update', { id: entry?.id, label, aws }),
    reload: loadCodes,
  });
}

async function deleteEntry() {
  const entry = editing;
  if (!entry) return;
  await deleteConfirmed('edit', {
    title: `Delete “${entry.label}”?`,
    body: [
      h('p', {}, 'SoftKey will no longer make codes for this MFA device, and this cannot be undone.'),
      h('p', {}, 'Before deleting, make sure you can still sign in to ',
        entry.aws?.account ? h('strong', {}, `AWS account ${entry.aws.account}`) : 'this account',
        ' some other way, or remove the device in IAM first.'),
    ],
    confirm: 'Delete code',
  }, { remove: () => call('totp.delete', { id: entry.id }), done: 'Deleted', reload: loadCodes });
}

// ---------------------------------------------------------------- show the secret

/** @type {TotpCode | null} */
let revealing = null;

async function openReveal() {
  const entry = editing;
  if (!entry) return;
  revealing = entry;
  $('#edit-dialog').close();
  $('#reveal-form').hidden = false;
  $('#reveal-result').hidden = true;
  $('#reveal-intro').replaceChildren('Enter your SoftKey password to show the secret of ', h('strong', {}, entry.label), '.');
  $('#reveal-password').value = '';
  setFieldError($('#reveal-password'), '');
  await openDialog($('#reveal-dialog'), { focus: '#reveal-password' });
  // Closed: leave nothing secret in the page.
  $('#reveal-uri').value = '';
  $('#reveal-qr').replaceChildren();
  $('#reveal-password').value = '';
  revealing = null;
}

/** @param {SubmitEvent} event */
async function submitReveal(event) {
  event.preventDefault();
  const entry = revealing;
  const input = $('#reveal-password');
  if (!entry) return;
  if (!input.value) {
    setFieldError(input, 'Enter your password.');
    input.focus();
    return;
  }
  try {
    const uri = await busy(/** @type {HTMLFormElement} */ (event.currentTarget), 'Checking…', () =>
      call('totp.reveal', { id: entry.id, password: nfc(input.value) }));
    input.value = '';
    $('#reveal-form').hidden = true;
    $('#reveal-result').hidden = false;
    $('#reveal-uri').value = uri;
    $('#reveal-copy').focus();
    // The link is shown even if drawing fails; the QR code is a convenience on top of it.
    await renderQr(uri, $('#reveal-qr')).catch((error) => {
      $('#reveal-qr').replaceChildren();
      toast(`The QR code could not be drawn: ${error?.message ?? error}`, { kind: 'error', ms: 4000 });
    });
  } catch (error) {
    if (handledState(error)) return;
    setFieldError(input, errorText(error));
    input.select();
    input.focus();
  }
}

export function wireEntries() {
  $('#add-open').addEventListener('click', openAdd);
  $('#add-open-empty').addEventListener('click', openAdd);
  $('#add-form').addEventListener('submit', submitAdd);
  $('#add-scan').addEventListener('click', scanTab);
  $('#add-text').addEventListener('keydown', (/** @type {KeyboardEvent} */ event) => {
    // Enter adds (a secret or URI is one line); Shift+Enter still makes a new line.
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      /** @type {HTMLTextAreaElement} */ (event.target).form?.requestSubmit();
    }
  });
  // Each code's Edit button (popup/codes.js renders the list).
  $('#codes').addEventListener('click', (/** @type {MouseEvent} */ event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('#codes [data-role="edit"]');
    const id = /** @type {HTMLElement | null | undefined} */ (button?.closest('[data-id]'))?.dataset.id;
    if (id) openEdit(id);
  });
  $('#edit-form').addEventListener('submit', submitEdit);
  $('#edit-delete').addEventListener('click', deleteEntry);
  $('#edit-reveal').addEventListener('click', openReveal);
  $('#reveal-form').addEventListener('submit', submitReveal);
  $('#reveal-copy').addEventListener('click', async () => {
    try {
      await writeClipboard($('#reveal-uri').value);
      toast('Copied');
    } catch (error) {
      toast(errorText(error), { kind: 'error' });
    }
  });
}
