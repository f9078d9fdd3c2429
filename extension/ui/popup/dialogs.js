// @ts-check
// What the popup's dialogs share: closing them, a confirmation before something destructive,
// the AWS account and user fields, and the Save of an edit dialog whose name is required.
import { $, busy, errorText, openDialog, setFieldError, setMessage, toast } from '../common.js';
import { handledState, reportError } from './views.js';

/** @typedef {{account?: string, user?: string, arn?: string, directory?: string}} AwsContext */

/**
 * Ask before something destructive; resolves true when confirmed. Escape = no.
 * @param {{title: string, body: (Node | string)[], confirm: string}} question
 */
export async function confirmAction({ title, body, confirm }) {
  const dialog = $('#confirm-dialog');
  $('#confirm-title').textContent = title;
  $('#confirm-text').replaceChildren(...body);
  $('#confirm-ok').textContent = confirm;
  const answer = await openDialog(dialog);
  return answer === 'ok';
}

/**
 * The AWS context of an account and a user field, over what the entry had (e.g. its ARN).
 * @param {HTMLInputElement} accountInput
 * @param {HTMLInputElement} userInput
 * @param {AwsContext} [previous]
 * @returns {AwsContext}
 */
export function awsFrom(accountInput, userInput, previous = {}) {
  const account = accountInput.value.trim();
  const user = userInput.value.trim();
  return { ...previous, account: account || undefined, user: user || undefined };
}

/**
 * Opens the edit dialog `#<name>-dialog` with its name, account and user fields filled from
 * `item`, and no message left from before.
 * @param {string} name
 * @param {{label: string, aws?: AwsContext}} item
 */
export function openNamed(name, item) {
  $(`#${name}-label`).value = item.label;
  $(`#${name}-account`).value = item.aws?.account ?? '';
  $(`#${name}-user`).value = item.aws?.user ?? '';
  setFieldError($(`#${name}-label`), '');
  setMessage($(`#${name}-error`), '');
  return openDialog($(`#${name}-dialog`), { focus: `#${name}-label` });
}

/**
 * Deletes once the user confirmed `question`: `remove()`, then the dialog `#<name>-dialog`
 * closes, `done` is shown and `reload()` runs.
 * @param {string} name
 * @param {Parameters<typeof confirmAction>[0]} question
 * @param {{remove: () => Promise<unknown>, done: string, reload: () => Promise<void>}} how
 */
export async function deleteConfirmed(name, question, { remove, done, reload }) {
  if (!(await confirmAction(question))) return;
  try {
    await remove();
    $(`#${name}-dialog`).close('deleted');
    toast(done);
    await reload();
  } catch (error) {
    reportError(error);
  }
}

/**
 * The Save of the edit dialog `#<name>-dialog` opened by `openNamed(name, item)`: an empty name
 * is refused under its field; else `save({label, aws})` runs while the form is busy (`aws` is
 * the item's AWS context with the account and user fields' values), then the dialog closes,
 * "Saved" is shown and `reload()` runs. A failure stays in the dialog. Nothing happens without
 * an `item` (the dialog lost its subject).
 * @param {SubmitEvent} event
 * @param {string} name
 * @param {{aws?: AwsContext} | null} item
 * @param {{empty: string, save: (fields: {label: string, aws: AwsContext}) => Promise<unknown>,
 *   reload: () => Promise<void>}} how
 */
export async function saveNamed(event, name, item, { empty, save, reload }) {
  event.preventDefault();
  if (!item) return;
  const input = $(`#${name}-label`);
  const label = input.value.trim();
  if (!label) {
    setFieldError(input, empty);
    input.focus();
    return;
  }
  setFieldError(input, '');
  try {
    const aws = awsFrom($(`#${name}-account`), $(`#${name}-user`), item.aws ?? {});
    await busy(/** @type {HTMLFormElement} */ (event.currentTarget), 'Saving…', () => save({ label, aws }));
    $(`#${name}-dialog`).close('saved');
    toast('Saved');
    await reload();
  } catch (error) {
    if (!handledState(error)) setMessage($(`#${name}-error`), errorText(error));
  }
}

/** Close buttons (`[data-close]`) and a click on a dialog's backdrop close it ("cancel"). */
export function wireDialogs() {
  for (const button of document.querySelectorAll('dialog [data-close]')) {
    button.addEventListener('click', () => button.closest('dialog')?.close('cancel'));
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
