// @ts-check
// The Security keys tab: the list of keys (where each signs in, its counter, when it was last
// used), and the dialog that renames one, sets its account, or deletes it.
import { call } from '../../shared/ui-api.js';
import { $, h, icon, formatDate, formatDateTime, timeAgo } from '../common.js';
import { deleteConfirmed, openNamed, saveNamed } from './dialogs.js';
import { reportError } from './views.js';

/**
 * One key as `keys.list` answers it (SecurityKeySummary; only the fields shown here).
 * @typedef {{id: string, rpId: string, label: string, userName?: string,
 *   aws?: import('./dialogs.js').AwsContext, signCount: number, madeWithU2f?: boolean,
 *   askBeforeSignIn?: boolean, createdMs: number, lastUsedMs?: number | null}} SecurityKey
 */

/** @type {SecurityKey[]} */
let keys = [];
/** @type {SecurityKey | null} */
let editingKey = null;

export async function loadKeys() {
  const list = await call('keys.list').catch(reportError);
  if (!list) return;
  keys = list;
  renderKeys();
}

/** @param {SecurityKey} key */
function keyAccountLine(key) {
  const account = key.aws?.account;
  const user = key.aws?.user || key.userName;
  if (account && user) return ['Account ', h('span', { class: 'mono' }, account), ` · ${user}`];
  if (account) return ['Account ', h('span', { class: 'mono' }, account)];
  if (user) return [`User ${user}`];
  return ['No AWS account set'];
}

function renderKeys() {
  const list = $('#keys');
  $('#keys-empty').hidden = keys.length > 0;
  const sorted = [...keys].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  list.replaceChildren(...sorted.map((key) => h('li', { class: 'card key', dataset: { id: key.id } },
    h('span', { class: 'key-icon' }, icon('key', 18)),
    h('div', { class: 'key-label', title: key.label }, key.label),
    h('button', {
      type: 'button', class: 'icon-btn', 'aria-label': `Edit ${key.label}`, title: 'Edit',
      onclick: () => openKey(key.id),
    }, icon('edit', 16)),
    h('div', { class: 'key-line' }, keyAccountLine(key)),
    h('div', { class: 'key-line' },
      h('span', { class: 'mono', title: 'The website (relying party) this key signs in to' }, key.rpId),
      key.madeWithU2f ? h('span', { title: 'Registered through the legacy FIDO U2F API' }, ' · legacy U2F') : '',
      h('span', { title: 'Signature counter: goes up by one at every sign-in' }, ` · sign count ${key.signCount}`)),
    h('div', { class: 'key-line' },
      h('span', { title: `Added ${formatDateTime(key.createdMs)}` }, `Added ${formatDate(key.createdMs)}`),
      ' · ',
      h('span', { title: key.lastUsedMs ? `Last used ${formatDateTime(key.lastUsedMs)}` : '' },
        key.lastUsedMs ? `used ${timeAgo(key.lastUsedMs)}` : 'never used')),
  )));
}

/** @param {string} id */
async function openKey(id) {
  const key = keys.find((k) => k.id === id);
  if (!key) return;
  editingKey = key;
  $('#key-ask').checked = Boolean(key.askBeforeSignIn);
  await openNamed('key', key);
}

/** @param {SubmitEvent} event */
function submitKey(event) {
  const key = editingKey;
  return saveNamed(event, 'key', key, {
    empty: 'Give this key a name.',
    save: ({ label, aws }) => call('keys.update', { id: key?.id, label, aws, askBeforeSignIn: $('#key-ask').checked }),
    reload: loadKeys,
  });
}

async function deleteKey() {
  const key = editingKey;
  if (!key) return;
  const who = key.aws?.user || key.userName;
  const where = key.aws?.account ? `AWS account ${key.aws.account}`
    : key.aws?.directory ? `Identity Center ${key.aws.directory}` : key.rpId;
  await deleteConfirmed('key', {
    title: `Delete “${key.label}”?`,
    body: [
      h('p', {}, 'Sign-in with this security key will stop working: ',
        h('strong', {}, who ? `${who} in ${where}` : where),
        ' will no longer accept it, and this cannot be undone.'),
      h('p', {}, 'Make sure you have another MFA device first, then remove this one in IAM too.'),
    ],
    confirm: 'Delete key',
  }, { remove: () => call('keys.delete', { id: key.id }), done: 'Security key deleted', reload: loadKeys });
}

export function wireKeys() {
  $('#key-form').addEventListener('submit', submitKey);
  $('#key-delete').addEventListener('click', deleteKey);
}
