// @ts-check
// The pieces every extension page had written out again: a labelled field (with its error line
// and, for passwords, the show/hide toggle), the AWS account and user pair, a dialog's title
// with its close button, the popup's two edit dialogs (name, account, user, Delete, Save), and the
// approve/cancel stack of the prompt windows.
//
// Light DOM, no shadow root: ids stay in the page (tests, labels, aria-describedby and the
// page scripts find them as before), ui.css styles them as before, and forms own their inputs.
// Each element becomes the box the old markup had (it takes that box's class), so the CSS and
// what the page scripts select on are unchanged. common.js imports this module, so the
// elements are defined, and the page complete, before any page script's own code runs.
// MV3's CSP allows no inline script: this file is an extension module like the rest.

/**
 * @param {string} tag
 * @param {Record<string, string | boolean>} [attrs] `true` sets an empty attribute, `false` none
 * @param {(Node | string)[]} children
 */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

/**
 * Builds itself once, when first connected (an element moved later keeps what it built).
 * Subclasses say what in `build()`.
 */
class Built extends HTMLElement {
  #built = false;

  connectedCallback() {
    if (this.#built) return;
    this.#built = true;
    this.build();
  }

  /** @abstract */
  build() {}
}

/**
 * `<sk-field label="Password" reveal errors><input id="password" type="password" …></sk-field>`
 * becomes the page's usual `.field`: a `<label for>` (unless the field brings its own `<label>`,
 * for a label with markup), the control, then the field's other children (hints, a strength
 * meter), then with `errors` the `<p class="field-error">` that setFieldError() fills: its id is
 * the attribute's value, else `<control id>-error`, and the control points at it (data-error,
 * last in aria-describedby). With `reveal` a password input gets its show/hide button
 * (wirePasswordToggles() in common.js wires it).
 */
class SkField extends Built {
  build() {
    this.classList.add('field');
    const control = /** @type {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null} */ (
      this.querySelector('input, textarea, select'));
    if (!control) throw new Error('<sk-field> holds no input, textarea or select');
    const label = this.getAttribute('label');
    if (label !== null) this.prepend(el('label', { for: control.id }, label));
    if (this.hasAttribute('reveal')) {
      // Moving an input blurs it: an autofocused one that already has the focus gets it back.
      const focused = document.activeElement === control;
      const wrap = el('div', { class: 'password-wrap' });
      control.replaceWith(wrap);
      wrap.append(control, el('button', {
        type: 'button', class: 'icon-btn', 'data-reveal': control.id, 'aria-label': 'Show password', 'data-icon': 'eye',
      }));
      if (focused) control.focus();
    }
    if (this.hasAttribute('errors')) {
      const id = this.getAttribute('errors') || `${control.id}-error`;
      control.dataset.error = id;
      const described = control.getAttribute('aria-describedby');
      control.setAttribute('aria-describedby', described ? `${described} ${id}` : id);
      this.append(el('p', { id, class: 'field-error', role: 'alert', hidden: true }));
    }
  }
}

/**
 * `<sk-aws-fields for="add">`: the AWS account and user inputs side by side, `#add-account` and
 * `#add-user` (what awsFrom() in popup/dialogs.js reads).
 */
class SkAwsFields extends Built {
  build() {
    this.classList.add('field-row');
    const prefix = this.getAttribute('for') ?? '';
    /** @param {string} part @param {string} label @param {string} placeholder */
    const field = (part, label, placeholder) => el('sk-field', { label },
      el('input', { id: `${prefix}-${part}`, type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder }));
    this.append(field('account', 'AWS account', 'ID or alias'), field('user', 'User', 'IAM user'));
  }
}

/** `<sk-dialog-title><h2 id="…">…</h2></sk-dialog-title>`: the heading and a Close button. */
class SkDialogTitle extends Built {
  build() {
    this.classList.add('dialog-title');
    this.append(el('button', { type: 'button', class: 'icon-btn', 'data-close': true, 'aria-label': 'Close', 'data-icon': 'close' }));
  }
}

/**
 * `<sk-edit-dialog for="key" heading="Edit security key" delete="Delete key">`: one of the
 * popup's edit dialogs, whose ids openNamed() and saveNamed() in popup/dialogs.js derive from
 * the one name: `#key-dialog` holding the form `#key-form` with the title `#key-title`, the
 * required Name `#key-label` (focused first) and its error line, the account and user fields,
 * the element's own children (a checkbox…), the message `#key-error`, then Delete
 * (`#key-delete`) and Save. A child marked `data-place="actions"` goes before Delete instead.
 */
class SkEditDialog extends Built {
  build() {
    const name = this.getAttribute('for') ?? '';
    const own = [...this.children];
    const intoActions = own.filter((child) => child instanceof HTMLElement && child.dataset.place === 'actions');
    for (const child of intoActions) child.removeAttribute('data-place');
    this.replaceChildren(el('dialog', { id: `${name}-dialog`, 'aria-labelledby': `${name}-title` },
      el('form', { id: `${name}-form`, class: 'dialog-body', novalidate: true },
        el('sk-dialog-title', {}, el('h2', { id: `${name}-title` }, this.getAttribute('heading') ?? '')),
        el('sk-field', { label: 'Name', errors: true },
          el('input', { id: `${name}-label`, type: 'text', autocomplete: 'off', autofocus: true })),
        el('sk-aws-fields', { for: name }),
        ...own.filter((child) => !intoActions.includes(child)),
        el('p', { id: `${name}-error`, class: 'alert', role: 'alert', hidden: true }),
        el('div', { class: 'actions' },
          ...intoActions,
          el('button', {
            id: `${name}-delete`, type: 'button', class: 'btn-ghost btn danger', 'data-icon': 'trash', 'data-icon-size': '16',
          }, this.getAttribute('delete') ?? 'Delete'),
          el('span', { class: 'spacer' }),
          el('button', { type: 'submit', class: 'btn btn-primary' }, 'Save')))));
  }
}

/**
 * `<sk-prompt-actions fallback><button type="submit" …>Register</button></sk-prompt-actions>`:
 * a prompt window's stack of buttons: the page's own approve button(s) first, then with
 * `fallback` "Use another security key", then Cancel. They answer through `data-decision`
 * (consent.js, unlock.js). Both are type=button, so Enter in the form submits the page's own
 * approve button (once consent.js has armed it), never one of these.
 */
class SkPromptActions extends Built {
  build() {
    this.classList.add('actions', 'stack');
    if (this.hasAttribute('fallback')) {
      this.append(el('button', { type: 'button', class: 'btn', 'data-decision': 'fallback' }, 'Use another security key'));
    }
    this.append(el('button', { type: 'button', class: 'btn btn-ghost', 'data-decision': 'cancel' }, 'Cancel'));
  }
}

// Inner elements first, so those an outer one's build() creates are built as they are inserted.
customElements.define('sk-field', SkField);
customElements.define('sk-aws-fields', SkAwsFields);
customElements.define('sk-dialog-title', SkDialogTitle);
customElements.define('sk-edit-dialog', SkEditDialog);
customElements.define('sk-prompt-actions', SkPromptActions);
