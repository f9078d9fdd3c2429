// @ts-check
// Which of the popup's views is shown (welcome, locked, unlocked), and the errors that change it.
// The other popup modules register what they do when the view changes (`onShow`) instead of
// importing the shell, so no module imports one that imports it back.
import { $, errorText, toast } from '../common.js';

/** @typedef {'none' | 'locked' | 'unlocked'} ViewState */

/** @type {Record<ViewState, HTMLElement>} */
const views = {
  none: $('#view-welcome'),
  locked: $('#view-locked'),
  unlocked: $('#view-main'),
};

/** @type {((state: ViewState) => void)[]} */
const listeners = [];

/** Runs `listener(state)` after every view change, in the order registered. */
export function onShow(listener) {
  listeners.push(listener);
}

/** @param {ViewState} state */
export function showView(state) {
  $('#view-loading').hidden = true;
  for (const [name, view] of Object.entries(views)) view.hidden = name !== state;
  for (const dialog of document.querySelectorAll('dialog')) if (dialog.open) dialog.close();
  for (const listener of listeners) listener(state);
}

/** Whether the view for `state` is the one shown. */
export const isShown = (/** @type {ViewState} */ state) => !views[state].hidden;

/** Errors that change what the popup should show (auto-lock meanwhile, vault gone). */
export function handledState(error) {
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

export function reportError(error) {
  if (!handledState(error)) toast(errorText(error), { kind: 'error', ms: 4000 });
}
