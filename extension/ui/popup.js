// The toolbar popup: welcome (no vault), unlock form (locked), or the main view with MFA
// codes, security keys and settings (unlocked). Everything goes through `call` in ui-api.js;
// codes are computed by the service worker only, never here.
import { call } from '../shared/ui-api.js';
import {
  $, h, icon, fillIcons, nfc, passwordStrength, codeGroups, formatDate, formatDateTime, timeAgo,
  errorText, toast, setFieldError, setMessage, busy, openDialog, wirePasswordToggles, unlockFromForm,
  MIN_PASSWORD_LENGTH, bytesToB64u,
} from './common.js';
import { renderQr, readQrCodes } from './qr.js';

const EXPIRING_SECONDS = 5;
const RING_RADIUS = 15;
const RING_LENGTH = 2 * Math.PI * RING_RADIUS;

const views = {
  none: $('#view-welcome'),
  locked: $('#view-locked'),
  unlocked: $('#view-main'),
};

// ------------------------------------------------------------------- views and errors

function showView(state) {
  $('#view-loading').hidden = true;
  for (const [name, view] of Object.entries(views)) view.hidden = name !== state;
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  stopTicking();
  if (state === 'locked') {
    const input = $('#unlock-password');
    input.value = '';
    setFieldError(input, '');
    input.focus();
  } else if (state === 'unlocked') {
    selectTab('codes', { focus: false });
  }
}

/** Errors that change what the popup should show (auto-lock meanwhile, vault gone). */
function handledState(error) {
  if (error?.name === 'VaultLocked') {
    showView('locked');
    return true;
  }
  if (error?.name === 'NoVault') {
    showView('none');
    return true;
  }
  return false;
}

function reportError(error) {
  if (!handledState(error)) toast(errorText(error), { kind: 'error', ms: 4000 });
}

// ----------------------------------------------------------------------------- tabs

const TABS = ['codes', 'keys', 'settings'];
let currentTab = 'codes';

function selectTab(name, { focus = true } = {}) {
  currentTab = name;
  for (const tab of TABS) {
    const button = $(`#tab-${tab}`);
    const selected = tab === name;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`#panel-${tab}`).hidden = !selected;
  }
  if (focus) $(`#tab-${name}`).focus();
  stopTicking();
  if (name === 'codes') loadCodes();
  else if (name === 'keys') loadKeys();
  else loadSettings();
}

function wireTabs() {
  for (const tab of TABS) $(`#tab-${tab}`).addEventListener('click', () => selectTab(tab));
  $('.tabs').addEventListener('keydown', (event) => {
    const index = TABS.indexOf(currentTab);
    const next = {
      ArrowRight: (index + 1) % TABS.length,
      ArrowLeft: (index + TABS.length - 1) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    selectTab(TABS[next]);
  });
}

// ---------------------------------------------------------------------------- codes

const codes = {
  /** TotpCode[] as last listed */
  entries: [],
  /** id → ms timestamp when its code changes */
  deadlines: new Map(),
  /** id → {item, code, ring, progress, seconds} */
  nodes: new Map(),
  /** what the list was built from, to rebuild only when entries change shape */
  shape: '',
  loading: null,
  timer: 0,
  loaded: false,
};

function stopTicking() {
  clearTimeout(codes.timer);
  codes.timer = 0;
}

function loadCodes() {
  if (codes.loading) return codes.loading;
  // The worker answers with whole seconds left at its "now", which is at or after this.
  const asked = Date.now();
  codes.loading = call('totp.list')
    .then((list) => {
      const base = Math.floor(asked / 1000) * 1000;
      codes.entries = list;
      codes.deadlines = new Map(list.filter((e) => e.period)
        .map((e) => [e.id, Math.max(base + e.secondsRemaining * 1000, Date.now() + 500)]));
      codes.loaded = true;
      renderCodes();
      tick();
    })
    .catch(reportError)
    .finally(() => { codes.loading = null; });
  return codes.loading;
}

/**
 * Groups by owner (alphabetical), "Other" last; entries by label within a group. The owner is
 * the core's (TotpCode.owner): the AWS account from any source that names it (context, ARN,
 * otpauth label), or the Identity Center directory.
 */
function groupEntries(entries) {
  const groups = new Map();
  for (const entry of entries) {
    const key = entry.owner?.trim() || '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(entry);
  }
  const byLabel = (a, b) => a.label.localeCompare(b.label, undefined, { numeric: true, sensitivity: 'base' });
  return [...groups.entries()]
    .sort(([a], [b]) => (a === '') - (b === '') || a.localeCompare(b, undefined, { numeric: true }))
    .map(([account, list]) => ({ account, entries: list.sort(byLabel) }));
}

/**
 * What an entry shows: its label, and below it "issuer · account · user" without what the label
 * already says. A label that is just the default "Issuer: account" shows as the account, with
 * the rest below, so that the part that tells entries apart is not cut off.
 */
function entryTitles(entry) {
  const issuer = entry.issuer?.trim();
  if (issuer && entry.account && entry.label === `${issuer}: ${entry.account}`) {
    return { title: entry.account, meta: entryMeta({ ...entry, label: entry.account }) };
  }
  return { title: entry.label, meta: entryMeta(entry) };
}

/** "account · user · issuer", leaving out what the label already says. */
function entryMeta(entry) {
  const label = entry.label.toLowerCase();
  const parts = [];
  for (const part of [entry.account, entry.aws?.user, entry.issuer]) {
    const text = part?.trim();
    if (!text) continue;
    const lower = text.toLowerCase();
    if (label.includes(lower) || parts.some((p) => p.toLowerCase().includes(lower))) continue;
    parts.push(text);
  }
  return parts.join(' · ');
}

function renderCodes() {
  const container = $('#codes');
  const { entries } = codes;
  const shape = JSON.stringify(entries.map((e) => [e.id, e.label, e.issuer, e.account, e.aws, e.period, e.owner, e.unconfirmed]));
  $('#codes-empty').hidden = entries.length > 0;
  $('#codes-toolbar').hidden = entries.length === 0;
  if (shape !== codes.shape) {
    // Entries changed: rebuild, keeping focus on the same control of the same entry.
    const focused = document.activeElement?.closest?.('#codes [data-id]');
    const focusId = focused?.dataset.id;
    const focusRole = document.activeElement?.dataset?.role;
    codes.shape = shape;
    codes.nodes.clear();
    container.replaceChildren(...groupEntries(entries).map(({ account, entries: list }) => {
      const headingId = `group-${account ? account.replace(/[^a-z0-9_-]/gi, '_') : 'other'}`;
      return h('section', { class: 'group', 'aria-labelledby': headingId },
        h('h2', { class: 'group-title', id: headingId },
          account ? [/^\d{12}$/.test(account) || !/^d-/.test(account) ? 'Account ' : 'Identity Center ',
            h('span', { class: 'account' }, account)] : 'Other'),
        h('ul', { class: 'list' }, list.map(entryItem)));
    }));
    if (focusId && focusRole) codes.nodes.get(focusId)?.[focusRole]?.focus();
  }
  for (const entry of entries) updateEntryCode(entry);
  applySearch();
}

function entryItem(entry) {
  const { title, meta } = entryTitles(entry);
  const code = h('button', {
    type: 'button', class: 'code', dataset: { role: 'code' },
    onclick: () => copyCode(entry.id),
  });
  const edit = h('button', {
    type: 'button', class: 'icon-btn', dataset: { role: 'edit' },
    'aria-label': `Edit ${entry.label}`, title: 'Edit',
    onclick: () => openEdit(entry.id),
  }, icon('edit', 16));
  let ring = null;
  let progress = null;
  let seconds = null;
  if (entry.period) {
    const svgNs = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 34 34');
    svg.setAttribute('aria-hidden', 'true');
    for (const cls of ['track', 'progress']) {
      const circle = document.createElementNS(svgNs, 'circle');
      circle.setAttribute('cx', '17');
      circle.setAttribute('cy', '17');
      circle.setAttribute('r', String(RING_RADIUS));
      circle.setAttribute('class', cls);
      if (cls === 'progress') {
        circle.setAttribute('stroke-dasharray', String(RING_LENGTH));
        progress = circle;
      }
      svg.append(circle);
    }
    seconds = h('span', { class: 'seconds' });
    ring = h('div', { class: 'ring instant', title: 'Seconds until the code changes' }, svg, seconds);
  }
  const item = h('li', { class: 'card entry', dataset: { id: entry.id } },
    h('div', { class: 'entry-head' },
      h('div', { class: 'entry-label', title: entry.label }, title),
      meta ? h('div', { class: 'entry-meta', title: meta }, meta) : null,
      entry.unconfirmed ? h('div', {
        class: 'entry-meta unconfirmed',
        title: 'Added from a setup page that has not shown that the site accepted the device',
      }, 'Not confirmed by the site yet') : null),
    code,
    edit,
    ring);
  codes.nodes.set(entry.id, { item, code, edit, ring, progress, seconds, lastFraction: -1 });
  return item;
}

function updateEntryCode(entry) {
  const node = codes.nodes.get(entry.id);
  if (!node) return;
  const groups = codeGroups(entry.code);
  if (node.code.dataset.code !== entry.code) {
    node.code.dataset.code = entry.code;
    node.code.replaceChildren(...groups.map((g) => h('span', {}, g)), h('span', { class: 'copy-hint' }, icon('copy', 15)));
    node.code.setAttribute('aria-label', `${groups.join(' ')}, copy the code for ${entry.label}`);
    node.code.title = 'Copy';
  }
}

/** Once a second (on the second): move the rings, and list again when a code rolls over. */
function tick() {
  stopTicking();
  if (views.unlocked.hidden || currentTab !== 'codes') return;
  const now = Date.now();
  let rolled = false;
  for (const entry of codes.entries) {
    const node = codes.nodes.get(entry.id);
    const deadline = codes.deadlines.get(entry.id);
    if (!node?.ring || deadline === undefined) continue;
    const left = deadline - now;
    if (left <= 0) rolled = true;
    const secondsLeft = Math.max(0, Math.ceil(left / 1000));
    node.seconds.textContent = String(secondsLeft);
    node.item.classList.toggle('expiring', secondsLeft <= EXPIRING_SECONDS);
    // Aim at where the ring will be at the next tick; the CSS transition takes that second.
    const periodMs = entry.period * 1000;
    const fraction = Math.min(1, Math.max(0, (left - 1000) / periodMs));
    const jumpsBack = fraction > node.lastFraction + 0.001;
    node.ring.classList.toggle('instant', jumpsBack);
    if (jumpsBack) {
      // Draw the new start instantly, then let the transition run again from there.
      node.progress.setAttribute('stroke-dashoffset', String(RING_LENGTH * (1 - Math.min(1, left / periodMs))));
      node.progress.getBoundingClientRect();
      node.ring.classList.remove('instant');
    }
    node.progress.setAttribute('stroke-dashoffset', String(RING_LENGTH * (1 - fraction)));
    node.lastFraction = fraction;
  }
  if (rolled) {
    loadCodes();
    return; // loadCodes ticks again when the new codes are in
  }
  codes.timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 20);
}


async function writeClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    // Without focus or permission: the old way, through a selected textarea.
    const area = h('textarea', { class: 'sr-only', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) throw new Error('The clipboard is not available here.');
  }
}

async function copyCode(id) {
  const entry = codes.entries.find((e) => e.id === id);
  if (!entry) return;
  try {
    await writeClipboard(entry.code);
  } catch (error) {
    toast(errorText(error), { kind: 'error' });
    return;
  }
  // The worker empties the clipboard later (setting clearClipboard): this popup's own timers
  // would die with it, and it closes as soon as the user clicks into the page to paste. The
  // toast names the delay only when the worker says it has scheduled the clear.
  const copiedAt = Date.now();
  const scheduled = await call('clipboard.copied', { code: entry.code, copiedAt }).catch(() => null);
  const seconds = scheduled?.seconds;
  if (Number.isInteger(seconds) && seconds > 0) toast(`Copied · clears in ${seconds} s`, { ms: 2500 });
  else toast('Copied');
}

/** Words of the search box; an entry matches when every word is in one of its fields. */
function applySearch() {
  const words = $('#search').value.toLowerCase().split(/\s+/).filter(Boolean);
  let visible = 0;
  for (const entry of codes.entries) {
    const haystack = [entry.label, entry.issuer, entry.account, entry.aws?.account, entry.aws?.user]
      .filter(Boolean).join('\n').toLowerCase();
    const match = words.every((w) => haystack.includes(w));
    const node = codes.nodes.get(entry.id);
    if (node) node.item.hidden = !match;
    if (match) visible++;
  }
  for (const group of document.querySelectorAll('#codes .group')) {
    group.hidden = !group.querySelector('li:not([hidden])');
  }
  const noMatch = $('#no-match');
  noMatch.hidden = !(codes.entries.length > 0 && visible === 0);
  noMatch.textContent = noMatch.hidden ? '' : `No codes match “${$('#search').value.trim()}”.`;
}

// ------------------------------------------------------------------- add an entry

function awsFrom(accountInput, userInput, previous = {}) {
  const account = accountInput.value.trim();
  const user = userInput.value.trim();
  return { ...previous, account: account || undefined, user: user || undefined };
}

async function openAdd() {
  const form = $('#add-form');
  form.reset();
  $('#add-error').hidden = true;
  setFieldError($('#add-text'), '');
  await openDialog($('#add-dialog'), { focus: '#add-text' });
}

async function submitAdd(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const text = $('#add-text').value.trim();
  const errorBox = $('#add-error');
  errorBox.hidden = true;
  if (!text) {
    setFieldError($('#add-text'), 'Paste the secret key or the otpauth:// link.');
    $('#add-text').focus();
    return;
  }
  setFieldError($('#add-text'), '');
  await addEntry(form, text, 'Adding…');
}

/** The one add path, for a pasted text and a scanned QR code alike (same checks, same messages). */
async function addEntry(form, text, busyText) {
  const label = $('#add-label').value.trim() || undefined;
  const aws = awsFrom($('#add-account'), $('#add-user'));
  try {
    const added = await busy(form, busyText, () => call('totp.add', {
      text, label, aws: aws.account || aws.user ? aws : undefined,
    }));
    $('#add-dialog').close('added');
    toast(`Added ${added?.label ?? 'code'}`);
    $('#search').value = '';
    await loadCodes();
  } catch (error) {
    if (handledState(error)) return;
    // The worker's message, as it is (e.g. "unsupported otpauth type 'motp' …"); keep the form.
    showAddError(error.message || errorText(error));
  }
}

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
    uri = texts.find((t) => /^otpauth:\/\//i.test(t.trim()))?.trim();
    const migration = texts.find((t) => /^otpauth-migration:/i.test(t.trim()))?.trim();
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

let editing = null;

async function openEdit(id) {
  const entry = codes.entries.find((e) => e.id === id);
  if (!entry) return;
  editing = entry;
  $('#edit-label').value = entry.label;
  $('#edit-account').value = entry.aws?.account ?? '';
  $('#edit-user').value = entry.aws?.user ?? '';
  setFieldError($('#edit-label'), '');
  setMessage($('#edit-error'), '');
  await openDialog($('#edit-dialog'), { focus: '#edit-label' });
}

async function submitEdit(event) {
  event.preventDefault();
  const entry = editing;
  if (!entry) return;
  const label = $('#edit-label').value.trim();
  if (!label) {
    setFieldError($('#edit-label'), 'Give this code a name.');
    $('#edit-label').focus();
    return;
  }
  setFieldError($('#edit-label'), '');
  try {
    await busy(event.currentTarget, 'Saving…', () => call('totp.update', {
      id: entry.id, label, aws: awsFrom($('#edit-account'), $('#edit-user'), entry.aws ?? {}),
    }));
    $('#edit-dialog').close('saved');
    toast('Saved');
    await loadCodes();
  } catch (error) {
    if (!handledState(error)) setMessage($('#edit-error'), errorText(error));
  }
}

async function deleteEntry() {
  const entry = editing;
  if (!entry) return;
  const ok = await confirmAction({
    title: `Delete “${entry.label}”?`,
    body: [
      h('p', {}, 'SoftKey will no longer make codes for this MFA device, and this cannot be undone.'),
      h('p', {}, 'Before deleting, make sure you can still sign in to ',
        entry.aws?.account ? h('strong', {}, `AWS account ${entry.aws.account}`) : 'this account',
        ' some other way, or remove the device in IAM first.'),
    ],
    confirm: 'Delete code',
  });
  if (!ok) return;
  try {
    await call('totp.delete', { id: entry.id });
    $('#edit-dialog').close('deleted');
    toast('Deleted');
    await loadCodes();
  } catch (error) {
    reportError(error);
  }
}

// ---------------------------------------------------------------- show the secret

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
    const uri = await busy(event.currentTarget, 'Checking…', () =>
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

// -------------------------------------------------------------------- confirmation

/** Ask before something destructive; resolves true when confirmed. Escape = no. */
async function confirmAction({ title, body, confirm }) {
  const dialog = $('#confirm-dialog');
  $('#confirm-title').textContent = title;
  $('#confirm-text').replaceChildren(...[].concat(body));
  $('#confirm-ok').textContent = confirm;
  const answer = await openDialog(dialog);
  return answer === 'ok';
}

// ------------------------------------------------------------------ security keys

let keys = [];
let editingKey = null;

async function loadKeys() {
  try {
    keys = await call('keys.list');
  } catch (error) {
    reportError(error);
    return;
  }
  renderKeys();
}

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

async function openKey(id) {
  const key = keys.find((k) => k.id === id);
  if (!key) return;
  editingKey = key;
  $('#key-label').value = key.label;
  $('#key-account').value = key.aws?.account ?? '';
  $('#key-user').value = key.aws?.user ?? '';
  $('#key-ask').checked = Boolean(key.askBeforeSignIn);
  setFieldError($('#key-label'), '');
  setMessage($('#key-error'), '');
  await openDialog($('#key-dialog'), { focus: '#key-label' });
}

async function submitKey(event) {
  event.preventDefault();
  const key = editingKey;
  if (!key) return;
  const label = $('#key-label').value.trim();
  if (!label) {
    setFieldError($('#key-label'), 'Give this key a name.');
    $('#key-label').focus();
    return;
  }
  setFieldError($('#key-label'), '');
  try {
    await busy(event.currentTarget, 'Saving…', () => call('keys.update', {
      id: key.id, label, aws: awsFrom($('#key-account'), $('#key-user'), key.aws ?? {}),
      askBeforeSignIn: $('#key-ask').checked,
    }));
    $('#key-dialog').close('saved');
    toast('Saved');
    await loadKeys();
  } catch (error) {
    if (!handledState(error)) setMessage($('#key-error'), errorText(error));
  }
}

async function deleteKey() {
  const key = editingKey;
  if (!key) return;
  const who = key.aws?.user || key.userName;
  const where = key.aws?.account ? `AWS account ${key.aws.account}`
    : key.aws?.directory ? `Identity Center ${key.aws.directory}` : key.rpId;
  const ok = await confirmAction({
    title: `Delete “${key.label}”?`,
    body: [
      h('p', {}, 'Sign-in with this security key will stop working: ',
        h('strong', {}, who ? `${who} in ${where}` : where),
        ' will no longer accept it, and this cannot be undone.'),
      h('p', {}, 'Make sure you have another MFA device first, then remove this one in IAM too.'),
    ],
    confirm: 'Delete key',
  });
  if (!ok) return;
  try {
    await call('keys.delete', { id: key.id });
    $('#key-dialog').close('deleted');
    toast('Security key deleted');
    await loadKeys();
  } catch (error) {
    reportError(error);
  }
}

// ----------------------------------------------------------------------- settings

let settings = null;

async function loadSettings() {
  try {
    settings = await call('settings.get');
  } catch (error) {
    reportError(error);
    return;
  }
  $('#set-autolock').value = String(settings.autoLockMinutes ?? 0);
  $('#set-autoapprove').checked = Boolean(settings.autoApproveSignIn);
  // Per site ({aws, amazon}, see Settings in wasm/core/src/contents.rs); on unless set off.
  $('#set-autosubmit-aws').checked = settings.autoSubmit?.aws !== false;
  $('#set-autosubmit-amazon').checked = settings.autoSubmit?.amazon !== false;
  $('#set-attestation').value = settings.attestationFormat === 'fido-u2f' ? 'fido-u2f' : 'packed';
  $('#set-clearclip').checked = settings.clearClipboard !== false;
  $('#set-clearclip-seconds').textContent = String(settings.clearClipboardSeconds ?? 30);
}

async function saveSettings(event) {
  const target = event.target;
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

function updateStrength(input, meter, text) {
  const { score, label, hint } = passwordStrength(input.value);
  meter.dataset.score = String(input.value ? score : 0);
  text.replaceChildren(...(input.value ? [h('b', {}, label), hint ? ` · ${hint}` : ''] : []));
}

async function submitPassword(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const current = $('#pw-current');
  const next = $('#pw-new');
  const again = $('#pw-confirm');
  for (const input of [current, next, again]) setFieldError(input, '');
  let first = null;
  const fail = (input, message) => {
    setFieldError(input, message);
    first ??= input;
  };
  if (!current.value) fail(current, 'Enter your current password.');
  if ([...next.value].length < MIN_PASSWORD_LENGTH) fail(next, `Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  else if (next.value !== again.value) fail(again, 'The new passwords don’t match.');
  if (first) {
    first.focus();
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

// ------------------------------------------------------------------ lock / unlock

async function submitUnlock(event) {
  const unlocked = await unlockFromForm(event, $('#unlock-password'), (error) => {
    if (error.name !== 'NoVault') return false;
    showView('none');
    return true;
  });
  if (unlocked) showView('unlocked');
}

async function lock() {
  try {
    await call('vault.lock');
  } catch (error) {
    reportError(error);
    return;
  }
  showView('locked');
}

// --------------------------------------------------------------------------- start

function wire() {
  fillIcons();
  wirePasswordToggles();
  wireTabs();
  $('#about').textContent = `SoftKey for AWS ${chrome.runtime.getManifest?.().version ?? ''}`.trim();
  $('#open-setup').addEventListener('click', async () => {
    await chrome.tabs.create({ url: new URL('setup.html', location.href).href });
    window.close();
  });
  $('#unlock-form').addEventListener('submit', submitUnlock);
  $('#unlock-password').addEventListener('input', (e) => setFieldError(e.target, ''));
  $('#lock').addEventListener('click', lock);
  $('#search').addEventListener('input', applySearch);
  $('#search').addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && event.target.value) {
      event.preventDefault();
      event.target.value = '';
      applySearch();
    }
  });
  $('#add-open').addEventListener('click', openAdd);
  $('#add-open-empty').addEventListener('click', openAdd);
  $('#add-form').addEventListener('submit', submitAdd);
  $('#add-scan').addEventListener('click', scanTab);
  $('#add-text').addEventListener('keydown', (event) => {
    // Enter adds (a secret or URI is one line); Shift+Enter still makes a new line.
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
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
  $('#key-form').addEventListener('submit', submitKey);
  $('#key-delete').addEventListener('click', deleteKey);
  $('#settings-form').addEventListener('change', saveSettings);
  $('#settings-form').addEventListener('submit', (e) => e.preventDefault());
  $('#password-form').addEventListener('submit', submitPassword);
  $('#pw-new').addEventListener('input', (e) => updateStrength(e.target, $('#pw-new-meter'), $('#pw-new-strength')));
  for (const button of document.querySelectorAll('dialog [data-close]')) {
    button.addEventListener('click', () => button.closest('dialog').close('cancel'));
  }
  // A click on the backdrop (outside the dialog's box) closes it too.
  for (const dialog of document.querySelectorAll('dialog')) {
    dialog.addEventListener('click', (event) => {
      if (event.target !== dialog) return;
      const r = dialog.getBoundingClientRect();
      const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
      if (!inside) dialog.close('cancel');
    });
  }
}

async function start() {
  wire();
  try {
    const { state } = await call('vault.status');
    showView(state);
  } catch (error) {
    $('#view-loading').hidden = false;
    $('#view-loading').replaceChildren(h('div', { class: 'center-view' },
      h('h1', {}, 'SoftKey is not responding'),
      h('p', { class: 'lead', role: 'alert' }, errorText(error))));
  }
}

start();
