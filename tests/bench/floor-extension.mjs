// The floor of the benches: an empty extension with the same page → content script → worker →
// back trip as SoftKey's and nothing else (cold-start.mjs, warm-trace.mjs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FLOOR_HOST = 'www.example.test';

/** The empty extension: the same page → content script → worker → back trip, nothing else. */
export function buildFloorExtension() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'softkey-floor-ext-'));
  const matches = [`https://${FLOOR_HOST}/*`];
  const manifest = {
    manifest_version: 3,
    name: 'cold-start floor',
    version: '0.0.1',
    background: { service_worker: 'sw.js', type: 'module' },
    content_scripts: [
      { matches, js: ['bridge.js'], run_at: 'document_start' },
      { matches, js: ['page.js'], run_at: 'document_start', world: 'MAIN' },
    ],
  };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(path.join(dir, 'bridge.js'), `
const { port1, port2 } = new MessageChannel();
window.postMessage({ channel: 'floor', kind: 'init' }, '*', [port2]);
let worker = null;
function connect() {
  if (worker) return worker;
  const p = chrome.runtime.connect({ name: 'floor' });
  p.onMessage.addListener((m) => port1.postMessage(m));
  p.onDisconnect.addListener(() => { if (worker === p) worker = null; });
  return (worker = p);
}
port1.onmessage = (ev) => {
  const message = { ...ev.data, origin: location.origin };
  try { connect().postMessage(message); } catch (_) { worker = null; connect().postMessage(message); }
};
`);
  writeFileSync(path.join(dir, 'page.js'), `
(() => {
  let port = null;
  let serial = 0;
  const waiting = new Map();
  addEventListener('message', (ev) => {
    if (port || ev.source !== window || ev.data?.channel !== 'floor' || ev.ports.length !== 1) return;
    ev.stopImmediatePropagation();
    port = ev.ports[0];
    port.onmessage = (m) => { waiting.get(m.data.id)?.(m.data.result); waiting.delete(m.data.id); };
  }, true);
  CredentialsContainer.prototype.get = function get() {
    const id = ++serial;
    return new Promise((resolve) => { waiting.set(id, resolve); port.postMessage({ type: 'get', id }); });
  };
})();
`);
  writeFileSync(path.join(dir, 'sw.js'), `
chrome.runtime.onConnect.addListener((port) => {
  port.onMessage.addListener((m) => {
    performance.mark('floor:message');
    port.postMessage({ id: m.id, result: { ok: true } });
  });
});
`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
