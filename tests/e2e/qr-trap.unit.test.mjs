// The QR reader (rqrr) panics on some crafted pixels (tests/fuzz/known-crashes/qr_decode); in the wasm
// module, built with panic = "abort", that is a trap. This pins down what the worker relies on
// (extension/background/service-worker.js, decodeQr): a trap is a WebAssembly.RuntimeError the
// caller can catch, the instance still reads a real code right after it, and it is only the
// leaked shadow stack of many traps that would break it (which is why the worker stops using the
// instance after its first trap). Runs the built module, dist/wasm/softkey_qr_bg.wasm, in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './lib/fixture-server.mjs';

const glue = await import(path.join(REPO_ROOT, 'dist', 'wasm', 'softkey_qr.js'));
glue.initSync({ module: readFileSync(path.join(REPO_ROOT, 'dist', 'wasm', 'softkey_qr_bg.wasm')) });

/** The crash input as the fuzz target `qr_decode` feeds it: [flags, w, h, grey pixels...]. */
function crashImage() {
  const data = readFileSync(path.join(REPO_ROOT, 'tests', 'fuzz', 'known-crashes', 'qr_decode', 'rqrr-perspective-assert'));
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

test('a trap in the QR reader is a catchable RuntimeError, and the instance reads a real code after it', () => {
  const uri = 'otpauth://totp/AWS:x?secret=JBSWY3DPEHPK3PXP';
  const { img, side } = realCode(uri);
  assert.deepEqual(glue.decodeLuma(img, side, side), [uri]);
  const { luma, w, h } = crashImage();
  assert.throws(() => glue.decodeLuma(luma, w, h), (e) => e instanceof WebAssembly.RuntimeError);
  assert.deepEqual(glue.decodeLuma(img, side, side), [uri], 'still reads after one trap');
});
