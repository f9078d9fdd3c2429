// Build a throwaway unpacked extension in a temp dir: our content scripts,
// shared message files and background/router.js from extension/, a stub
// service worker (tests/e2e/stub/stub-sw.js), and the content_scripts entries
// of the product's manifest.json for the bridge and the MAIN-world script.
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './fixture-server.mjs';

const EXT = path.join(REPO_ROOT, 'extension');
const STUB = path.join(REPO_ROOT, 'tests', 'e2e', 'stub');

/** What build.sh must write to dist/content/page-main.js. */
export function pageMainSource() {
  return [['shared', 'sites.js'], ['shared', 'base64url.js'], ['shared', 'messages.js'],
    ['content', 'page-json.js'], ['content', 'page.js']]
    .map((p) => readFileSync(path.join(EXT, ...p), 'utf8')).join('\n');
}

export function buildStubExtension() {
  // Same layout as dist/: manifest.json at the top, sources under extension/.
  const root = mkdtempSync(path.join(os.tmpdir(), 'softkey-stub-ext-'));
  const dir = path.join(root, 'extension');
  for (const sub of ['content', 'shared', 'background']) mkdirSync(path.join(dir, sub), { recursive: true });
  for (const f of ['base64url.js', 'schema.js', 'messages.js', 'sites.js']) {
    cpSync(path.join(EXT, 'shared', f), path.join(dir, 'shared', f));
  }
  // MAIN world: ONE file (pageMainSource). Chrome injects a given file only
  // once per frame even when two content_scripts entries (two worlds) list it,
  // so the MAIN world cannot list shared/messages.js itself.
  writeFileSync(path.join(dir, 'content', 'page-main.js'), pageMainSource());
  cpSync(path.join(EXT, 'content', 'bridge.js'), path.join(dir, 'content', 'bridge.js'));
  cpSync(path.join(EXT, 'background', 'router.js'), path.join(dir, 'background', 'router.js'));
  cpSync(path.join(STUB, 'stub-sw.js'), path.join(dir, 'background', 'stub-sw.js'));
  const manifest = {
    manifest_version: 3,
    name: 'SoftKey e2e stub',
    version: '0.0.1',
    background: { service_worker: 'extension/background/stub-sw.js', type: 'module' },
    // The product's own WebAuthn entries (bridge and MAIN world), so the stub covers the same hosts.
    content_scripts: JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest.json'), 'utf8')).content_scripts
      .filter((e) => e.js.some((f) => f.endsWith('/bridge.js') || f.endsWith('/page-main.js'))),
  };
  writeFileSync(path.join(root, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir: root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
