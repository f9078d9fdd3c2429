// @ts-check
// The export and import page (a tab: a popup would close as soon as a file dialog opens).
// It only gathers choices and moves files; reading, writing and merging are the core's.
import { call } from '../shared/ui-api.js';
import { $, h, nfc, errorText, fillIcons, wirePasswordToggles, setMessage, busy, bytesToB64u } from './common.js';
import { renderQr, readQrCodes } from './qr.js';

// What the worker hands back is the transfer module's answer (wasm/transfer-bindings), declared
// in the generated dist/wasm/softkey_transfer.d.ts.
/** @typedef {import('../../wasm/softkey_transfer.js').Exported} Exported */
/** @typedef {import('../../wasm/softkey_transfer.js').ExportedFileJson} ExportedFile */
/** @typedef {import('../../wasm/softkey_transfer.js').FileImport} FileImport */

/** What each format keeps and loses (docs/key-transfer.md), and what it needs. */
const FORMATS = {
  backup: { password: true, keys: true, note: 'Everything: authenticator secrets, security keys with their counters, labels and AWS accounts, sealed under the file\'s password. SoftKey and the softkey command read it.' },
  otpauth: { note: 'Authenticator entries as otpauth:// links, one a line, unencrypted. Labels and AWS accounts are not kept; security keys are not included.' },
  googleMigration: { qr: true, note: 'Authenticator entries as Google Authenticator transfer QR codes, ten to a code. Only 30-second, 6- or 8-digit codes fit; security keys are not included.' },
  aegisEncrypted: { password: true, note: 'An encrypted Aegis vault of your authenticator entries (Aegis\'s own format and password). Security keys are not included.' },
  aegisPlain: { note: 'An unencrypted Aegis vault of your authenticator entries. Security keys are not included.' },
  bitwarden: { keys: true, note: 'A Bitwarden JSON export, unencrypted: authenticator entries as login TOTP, security keys as passkeys with their private keys and counters. AWS accounts are not kept. (The FIDO Credential Exchange Format is not offered: it requires a counter of zero, below what AWS has already seen.)' },
};

const b64uToBytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** @param {ExportedFile} file */
function download({ name, mime, data }) {
  const url = URL.createObjectURL(new Blob([b64uToBytes(data)], { type: mime }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const format = () => $('input[name=format]:checked').value;

function showFormat() {
  const f = FORMATS[format()];
  $('#format-note').textContent = f.note;
  $('#keys-field').hidden = !f.keys;
  $('#file-password-field').hidden = !f.password;
  $('#copy-warning').hidden = !(f.keys && $('#keys').value === 'copy');
}

async function exportNow(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const f = FORMATS[format()];
  setMessage($('#export-error'), '');
  setMessage($('#export-result'), '');
  $('#qr-area').replaceChildren();
  const password = nfc($('#vault-password').value);
  const filePassword = nfc($('#file-password').value);
  if (!password) return setMessage($('#export-error'), 'Enter your SoftKey password.');
  if (f.password && filePassword.length < 8) return setMessage($('#export-error'), 'Choose a file password of at least 8 characters.');
  try {
    /** @type {Exported} */
    const { files } = await busy(form, 'Exporting…', () => call('transfer.export', {
      password,
      format: format(),
      keys: f.keys ? $('#keys').value : 'omit',
      filePassword: f.password ? filePassword : undefined,
    }));
    $('#vault-password').value = '';
    if (f.qr) {
      for (const file of files) {
        const box = h('div', { class: 'qr-box' });
        $('#qr-area').append(h('p', { text: `QR code ${files.indexOf(file) + 1} of ${files.length}` }), box);
        await renderQr(new TextDecoder().decode(b64uToBytes(file.data)), box);
      }
    } else {
      files.forEach(download);
    }
    const moved = f.keys && $('#keys').value === 'move' ? ' Security keys in it no longer sign in this browser.' : '';
    setMessage($('#export-result'), `Exported ${files.map((x) => x.name).join(', ')}.${moved}`);
  } catch (error) {
    setMessage($('#export-error'), errorText(error));
  }
}

let pending = null; // {data, filePassword} of the previewed file

function list(title, items) {
  if (!items.length) return null;
  return h('div', { class: 'preview-group' }, h('h2', { text: `${title} (${items.length})` }),
    h('ul', {}, items.map((item) => h('li', { text: item }))));
}

/** @param {FileImport} found */
function showPreview({ format, preview: p }) {
  $('#preview').replaceChildren(
    h('p', { text: `Recognised: ${format}` }),
    list('Authenticator entries to add', p.totpAdded),
    list('Already here (skipped)', p.totpDuplicates),
    list('Same account, different secret (added, check them)', p.totpConflicts),
    list('Cannot be kept', p.totpSkipped.map(([label, why]) => `${label}: ${why}`)),
    list('Security keys to add', p.keysAdded),
    list('Security keys whose counter goes up', p.keysUpdated.map((u) => `${u.label}: ${u.from} → ${u.to}${u.returns ? ' (comes back to this browser)' : ''}`)),
    list('Security keys already here', p.keysUnchanged),
    list('Security keys that cannot be imported', p.keysSkipped.map(([label, why]) => `${label}: ${why}`)),
  );
}

/**
 * What the core reads of a chosen file: its bytes; for a picture (a screenshot of Google
 * Authenticator's "Transfer accounts" QR code, or of an otpauth:// QR code), the authenticator
 * texts of the QR codes in it, one a line.
 */
async function fileBytes(file) {
  if (!file.type.startsWith('image/')) return new Uint8Array(await file.arrayBuffer());
  const url = URL.createObjectURL(file);
  try {
    const { uris, transfers } = await call('qr.authenticatorTexts', { texts: await readQrCodes(url) });
    const texts = [...uris, ...transfers];
    if (texts.length === 0) {
      throw Object.assign(new Error('No authenticator QR code was found in this picture.'), { name: 'NoQrFound' });
    }
    return new TextEncoder().encode(texts.join('\n'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function previewNow(event) {
  event.preventDefault();
  setMessage($('#import-error'), '');
  setMessage($('#import-result'), '');
  $('#import-button').disabled = true;
  pending = null;
  const file = $('#import-file').files[0];
  if (!file) return setMessage($('#import-error'), 'Choose a file.');
  let bytes;
  try {
    bytes = await fileBytes(file);
  } catch (error) {
    return setMessage($('#import-error'), errorText(error));
  }
  const data = bytesToB64u(bytes);
  const filePassword = nfc($('#import-password').value) || undefined;
  try {
    showPreview(await call('transfer.preview', { data, filePassword }));
    pending = { data, filePassword };
    $('#import-button').disabled = false;
  } catch (error) {
    $('#preview').replaceChildren();
    setMessage($('#import-error'), error.name === 'PasswordRequired' ? 'This file is encrypted: enter its password.' : errorText(error));
  }
}

async function importNow() {
  if (!pending) return;
  try {
    /** @type {FileImport} */
    const { preview: p } = await call('transfer.import', pending);
    pending = null;
    $('#import-button').disabled = true;
    setMessage($('#import-result'), `Imported ${p.totpAdded.length} authenticator entries and ${p.keysAdded.length} security keys; ${p.keysUpdated.length} counters raised.`);
  } catch (error) {
    setMessage($('#import-error'), errorText(error));
  }
}

fillIcons();
wirePasswordToggles();
document.querySelectorAll('input[name=format]').forEach((r) => r.addEventListener('change', showFormat));
$('#keys').addEventListener('change', showFormat);
$('#export-form').addEventListener('submit', exportNow);
$('#import-form').addEventListener('submit', previewNow);
$('#import-button').addEventListener('click', importNow);
showFormat();
