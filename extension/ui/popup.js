// @ts-check
// The toolbar popup's shell: welcome (no vault), unlock form (locked), or the main view with its
// tabs (unlocked), and the vault notice above them. Each tab and dialog is a module of its own
// under popup/; everything goes through `call` in ui-api.js.
import { call } from '../shared/ui-api.js';
import { $, h, fillIcons, errorText, setFieldError, wirePasswordToggles, unlockFromForm } from './common.js';
import { loadCodes, stopTicking, wireCodes } from './popup/codes.js';
import { wireDialogs } from './popup/dialogs.js';
import { wireEntries } from './popup/entries.js';
import { loadKeys, wireKeys } from './popup/keys.js';
import { showNotice, wireNotice } from './popup/notice.js';
import { loadSettings, wireSettings } from './popup/settings.js';
import { onShow, reportError, showView } from './popup/views.js';

// ----------------------------------------------------------------------------- tabs

/** @typedef {'codes' | 'keys' | 'settings'} Tab */
/** @type {Tab[]} */
const TABS = ['codes', 'keys', 'settings'];
/** @type {Tab} */
let currentTab = 'codes';

/** @param {Tab} name */
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
  $('.tabs').addEventListener('keydown', (/** @type {KeyboardEvent} */ event) => {
    const index = TABS.indexOf(currentTab);
    /** @type {Record<string, number>} */
    const moves = {
      ArrowRight: (index + 1) % TABS.length,
      ArrowLeft: (index + TABS.length - 1) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    selectTab(TABS[next]);
  });
}

onShow((state) => {
  if (state === 'locked') {
    const input = $('#unlock-password');
    input.value = '';
    setFieldError(input, '');
    input.focus();
  } else if (state === 'unlocked') {
    selectTab('codes', { focus: false });
  }
});

// ------------------------------------------------------------------ lock / unlock

/** Asks the worker for its state and notice; shows both. */
async function refresh() {
  const { state, notice } = await call('vault.status');
  showView(state);
  showNotice(notice);
}

/** @param {SubmitEvent} event */
async function submitUnlock(event) {
  const unlocked = await unlockFromForm(event, $('#unlock-password'), (error) => {
    if (error.name !== 'NoVault') return false;
    showView('none');
    return true;
  });
  if (!unlocked) return;
  showView('unlocked');
  // Opening the vault may have repaired it (its second copy): the worker says so in the status.
  showNotice((await call('vault.status').catch(() => null))?.notice);
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
  wireDialogs();
  wireNotice();
  wireCodes();
  wireEntries();
  wireKeys();
  wireSettings();
  $('#about').textContent = `SoftKey for AWS ${chrome.runtime.getManifest?.().version ?? ''}`.trim();
  $('#open-setup').addEventListener('click', async () => {
    await chrome.tabs.create({ url: new URL('setup.html', location.href).href });
    window.close();
  });
  $('#unlock-form').addEventListener('submit', submitUnlock);
  $('#unlock-password').addEventListener('input', (/** @type {InputEvent} */ e) =>
    setFieldError(/** @type {HTMLInputElement} */ (e.target), ''));
  $('#lock').addEventListener('click', lock);
}

async function start() {
  wire();
  try {
    await refresh();
  } catch (error) {
    $('#view-loading').hidden = false;
    $('#view-loading').replaceChildren(h('div', { class: 'center-view' },
      h('h1', {}, 'SoftKey is not responding'),
      h('p', { class: 'lead', role: 'alert' }, errorText(error))));
  }
}

start();
