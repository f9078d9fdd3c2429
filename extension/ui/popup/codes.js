// @ts-check
// The Codes tab: the list of MFA codes grouped by owner, each one's countdown ring, copying a
// code, and the search box. Codes are computed by the service worker only, never here; the
// list is asked again when a code rolls over.
import { call } from '../../shared/ui-api.js';
import { $, h, icon, codeGroups, errorText, toast, writeClipboard } from '../common.js';
import { isShown, onShow, reportError } from './views.js';

const EXPIRING_SECONDS = 5;
const RING_RADIUS = 15;
const RING_LENGTH = 2 * Math.PI * RING_RADIUS;
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * One entry as `totp.list` answers it: the core's type, generated from wasm/core (TotpCode).
 * @typedef {import('../../../wasm/softkey.js').TotpCode} TotpCode
 */

/**
 * An entry's controls, kept to update them in place every second.
 * @typedef {{item: HTMLElement, code: HTMLElement, edit: HTMLElement, ring: HTMLElement | null,
 *   progress: SVGCircleElement | null, seconds: HTMLElement | null, lastFraction: number}} EntryNodes
 */

const codes = {
  /** @type {TotpCode[]} as last listed */
  entries: [],
  /** @type {Map<string, number>} id → ms timestamp when its code changes */
  deadlines: new Map(),
  /** @type {Map<string, EntryNodes>} */
  nodes: new Map(),
  /** what the list was built from, to rebuild only when entries change shape */
  shape: '',
  /** @type {Promise<void> | null} */
  loading: null,
  timer: 0,
};

/** The entry `id` as last listed. */
export const entryById = (/** @type {string} */ id) => codes.entries.find((e) => e.id === id);

export function stopTicking() {
  clearTimeout(codes.timer);
  codes.timer = 0;
}

onShow(stopTicking);

/** @returns {Promise<void>} */
export function loadCodes() {
  if (codes.loading) return codes.loading;
  // The worker answers with whole seconds left at its "now", which is at or after this.
  const asked = Date.now();
  codes.loading = call('totp.list')
    .then((/** @type {TotpCode[]} */ list) => {
      const base = Math.floor(asked / 1000) * 1000;
      codes.entries = list;
      codes.deadlines = new Map(list.filter((e) => e.period)
        .map((e) => [e.id, Math.max(base + e.secondsRemaining * 1000, Date.now() + 500)]));
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
 * @param {TotpCode[]} entries
 */
function groupEntries(entries) {
  /** @type {Map<string, {owner: TotpCode['owner'], entries: TotpCode[]}>} */
  const groups = new Map();
  for (const entry of entries) {
    const key = entry.owner ? `${entry.owner.kind}:${entry.owner.name}` : '';
    const group = groups.get(key);
    if (group) group.entries.push(entry);
    else groups.set(key, { owner: entry.owner, entries: [entry] });
  }
  const byLabel = (/** @type {TotpCode} */ a, /** @type {TotpCode} */ b) =>
    a.label.localeCompare(b.label, undefined, { numeric: true, sensitivity: 'base' });
  return [...groups.values()]
    .sort((a, b) => Number(!a.owner) - Number(!b.owner)
      || (a.owner?.name ?? '').localeCompare(b.owner?.name ?? '', undefined, { numeric: true }))
    .map(({ owner, entries: list }) => ({ owner, entries: list.sort(byLabel) }));
}

/**
 * What an entry shows: its label, and below it "issuer · account · user" without what the label
 * already says. A label that is just the default "Issuer: account" shows as the account, with
 * the rest below, so that the part that tells entries apart is not cut off.
 * @param {TotpCode} entry
 */
function entryTitles(entry) {
  const issuer = entry.issuer?.trim();
  if (issuer && entry.account && entry.label === `${issuer}: ${entry.account}`) {
    return { title: entry.account, meta: entryMeta({ ...entry, label: entry.account }) };
  }
  return { title: entry.label, meta: entryMeta(entry) };
}

/**
 * "account · user · issuer", leaving out what the label already says.
 * @param {TotpCode} entry
 */
function entryMeta(entry) {
  const label = entry.label.toLowerCase();
  /** @type {string[]} */
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
    const active = /** @type {HTMLElement | null} */ (document.activeElement);
    const focused = /** @type {HTMLElement | null | undefined} */ (active?.closest?.('#codes [data-id]'));
    const focusId = focused?.dataset.id;
    const focusRole = /** @type {'code' | 'edit' | undefined} */ (active?.dataset?.role);
    codes.shape = shape;
    codes.nodes.clear();
    container.replaceChildren(...groupEntries(entries).map(({ owner, entries: list }, i) => {
      const headingId = `group-${i}`;
      return h('section', { class: 'group', 'aria-labelledby': headingId },
        h('h2', { class: 'group-title', id: headingId },
          owner ? [owner.kind === 'directory' ? 'Identity Center ' : 'Account ',
            h('span', { class: 'account' }, owner.name)] : 'Other'),
        h('ul', { class: 'list' }, list.map(entryItem)));
    }));
    if (focusId && focusRole) codes.nodes.get(focusId)?.[focusRole]?.focus();
  }
  for (const entry of entries) updateEntryCode(entry);
  applySearch();
}

/** The countdown ring of an entry with a period: its box, progress circle and seconds. */
function countdownRing() {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 34 34');
  svg.setAttribute('aria-hidden', 'true');
  /** @type {SVGCircleElement | null} */
  let progress = null;
  for (const cls of ['track', 'progress']) {
    const circle = document.createElementNS(SVG_NS, 'circle');
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
  const seconds = h('span', { class: 'seconds' });
  const ring = h('div', { class: 'ring instant', title: 'Seconds until the code changes' }, svg, seconds);
  return { ring, progress, seconds };
}

/**
 * An entry's card. Its Edit button (data-role "edit") is answered by the entry dialogs
 * (popup/entries.js) through a listener on #codes.
 * @param {TotpCode} entry
 */
function entryItem(entry) {
  const { title, meta } = entryTitles(entry);
  const code = h('button', {
    type: 'button', class: 'code', dataset: { role: 'code' },
    onclick: () => copyCode(entry.id),
  });
  const edit = h('button', {
    type: 'button', class: 'icon-btn', dataset: { role: 'edit' },
    'aria-label': `Edit ${entry.label}`, title: 'Edit',
  }, icon('edit', 16));
  const { ring, progress, seconds } = entry.period ? countdownRing() : { ring: null, progress: null, seconds: null };
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

/** @param {TotpCode} entry */
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
  if (!isShown('unlocked') || $('#panel-codes').hidden) return;
  const now = Date.now();
  let rolled = false;
  for (const entry of codes.entries) {
    const node = codes.nodes.get(entry.id);
    const deadline = codes.deadlines.get(entry.id);
    if (!node?.ring || !node.progress || !node.seconds || !entry.period || deadline === undefined) continue;
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

/** @param {string} id */
async function copyCode(id) {
  const entry = entryById(id);
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
    const match = words.every((/** @type {string} */ w) => haystack.includes(w));
    const node = codes.nodes.get(entry.id);
    if (node) node.item.hidden = !match;
    if (match) visible++;
  }
  for (const group of document.querySelectorAll('#codes .group')) {
    /** @type {HTMLElement} */ (group).hidden = !group.querySelector('li:not([hidden])');
  }
  const noMatch = $('#no-match');
  noMatch.hidden = !(codes.entries.length > 0 && visible === 0);
  noMatch.textContent = noMatch.hidden ? '' : `No codes match “${$('#search').value.trim()}”.`;
}

/** Empties the search box (after an entry is added, so that it shows). */
export function clearSearch() {
  $('#search').value = '';
}

export function wireCodes() {
  $('#search').addEventListener('input', applySearch);
  $('#search').addEventListener('keydown', (/** @type {KeyboardEvent} */ event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    if (event.key === 'Escape' && input.value) {
      event.preventDefault();
      input.value = '';
      applySearch();
    }
  });
}
