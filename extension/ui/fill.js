// The "Fill MFA code" window: the site comes from the browser (the service worker put it in the
// URL from the menu click); nothing is typed until the user picks an entry.
import { call } from '../shared/ui-api.js';
import { $, fillIcons, param, errorText } from './common.js';

const target = { tabId: Number(param('tab')), frameId: Number(param('frame')), origin: param('origin') };
let entries = [];

function render() {
  const words = $('#fill-search').value.toLowerCase().split(/\s+/).filter(Boolean);
  const list = $('#fill-list');
  list.replaceChildren();
  for (const entry of entries) {
    const text = [entry.label, entry.issuer, entry.account, entry.aws?.account, entry.aws?.user].join(' ').toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-block';
    button.textContent = entry.label;
    button.addEventListener('click', () => fill(entry));
    const item = document.createElement('li');
    item.append(button);
    list.append(item);
  }
}

async function fill(entry) {
  try {
    await call('mfa.fillTab', { ...target, entryId: entry.id });
    window.close();
  } catch (error) {
    $('#fill-error').textContent = errorText(error);
  }
}

async function show() {
  fillIcons();
  $('#fill-origin').textContent = target.origin ?? '';
  try {
    entries = await call('totp.list');
  } catch (error) {
    $('#fill-error').textContent = errorText(error);
    return;
  }
  if (!entries.length) $('#fill-error').textContent = 'SoftKey has no MFA codes yet.';
  render();
  $('#fill-search').focus();
}

$('#fill-search').addEventListener('input', render);
$('#cancel').addEventListener('click', () => window.close());
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') window.close();
});
show();
