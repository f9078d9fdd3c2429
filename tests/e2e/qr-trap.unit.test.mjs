// The QR reader once trapped on crafted pixels: rqrr 0.11 asserted in `Perspective::map`
// (rqrr issue #54), and with panic = "abort" that was a wasm trap. softkey-qr now reads with
// quircs, whose perspective map saturates instead. This runs the built module,
// dist/wasm/softkey_qr_bg.wasm, in Node on those inputs (tests/fuzz/regressions/qr_decode): each
// must give an ordinary QR error, never a WebAssembly.RuntimeError, and the instance must read a
// real code afterwards. The worker still treats a trap as the end of that instance
// (extension/background/service-worker.js, decodeQr), should another one ever appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './lib/fixture-server.mjs';

const glue = await import(path.join(REPO_ROOT, 'dist', 'wasm', 'softkey_qr.js'));
glue.initSync({ module: readFileSync(path.join(REPO_ROOT, 'dist', 'wasm', 'softkey_qr_bg.wasm')) });

const REGRESSIONS = path.join(REPO_ROOT, 'tests', 'fuzz', 'regressions', 'qr_decode');

/** A regression input as the fuzz target `qr_decode` feeds it: [flags, w, h, grey pixels...]. */
function regressionImage(name) {
  const data = readFileSync(path.join(REGRESSIONS, name));
  assert.equal(data[0] & 3, 0, 'a greyscale, size-mapped input');
  const side = (b) => 21 + (b % (96 - 21 + 1));
  const [w, h] = [side(data[1]), side(data[2])];
  const luma = new Uint8Array(w * h).fill(255);
  luma.set(data.subarray(3, 3 + w * h));
  return { luma, w, h };
}

/** A real code drawn at 4 pixels a module with its quiet zone. */
function realCode(text) {
  const m = glue.encode(text);
  const n = m.size;
  const modules = m.modules;
  const scale = 4;
  const side = (n + 8) * scale;
  const img = new Uint8Array(side * side).fill(255);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (!modules[y * n + x]) continue;
      for (let dy = 0; dy < scale; dy++) img.fill(0, ((y + 4) * scale + dy) * side + (x + 4) * scale, ((y + 4) * scale + dy) * side + (x + 5) * scale);
    }
  }
  return { img, side };
}

test('the inputs that made rqrr trap give a QR error, and the instance reads a real code after them', () => {
  const uri = 'otpauth://totp/AWS:x?secret=JBSWY3DPEHPK3PXP';
  const { img, side } = realCode(uri);
  assert.deepEqual(glue.decodeLuma(img, side, side), [uri]);
  const names = readdirSync(REGRESSIONS).sort();
  assert.ok(names.length >= 2, 'the regression inputs are where the replay reads them');
  for (const name of names) {
    const { luma, w, h } = regressionImage(name);
    assert.throws(() => glue.decodeLuma(luma, w, h), (e) => {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), `${name}: a trap`);
      assert.ok(['NoQrFound', 'QrUnreadable'].includes(e.name), `${name}: ${e.name}: ${e.message}`);
      return true;
    });
  }
  assert.deepEqual(glue.decodeLuma(img, side, side), [uri], 'still reads after them');
});
