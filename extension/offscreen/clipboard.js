// The offscreen document (reason CLIPBOARD) the service worker opens to empty the clipboard after
// a code was copied from the popup (background/clipboard.js). A service worker has no clipboard,
// and this document can never have focus, so navigator.clipboard is out of reach: it reads and
// writes through execCommand on a scratch textarea, which the clipboardRead / clipboardWrite
// permissions allow without a user gesture.
import { validOffscreenRequest } from '../shared/ui-api.js';

const WORKER_URL = chrome.runtime.getURL('extension/background/service-worker.js');
const scratch = document.getElementById('scratch');

/** The clipboard's text, or null when it cannot be read. */
function readText() {
  scratch.value = '';
  scratch.focus();
  const ok = document.execCommand('paste');
  const text = scratch.value;
  scratch.value = '';
  return ok ? text : null;
}

/** Replaces whatever is on the clipboard with empty text. */
function writeEmpty() {
  const onCopy = (event) => {
    event.clipboardData.setData('text/plain', '');
    event.preventDefault();
  };
  document.addEventListener('copy', onCopy);
  try {
    return document.execCommand('copy');
  } finally {
    document.removeEventListener('copy', onCopy);
  }
}

function clearIfUnchanged(code) {
  const text = readText();
  if (text === null) return 'unreadable';
  // Compare what a paste would give, so a trailing newline some apps add does not count.
  if (text.trim() !== code) return 'changed';
  return writeEmpty() ? 'cleared' : 'unwritable';
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Popup requests to the worker reach every extension page: only the worker's own request here.
  if (!validOffscreenRequest(message)) return false;
  if (sender.id !== chrome.runtime.id || sender.url !== WORKER_URL) return false;
  sendResponse({ outcome: clearIfUnchanged(message.code) });
  return false;
});
