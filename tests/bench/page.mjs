// Browser side of the wasm benchmark: loaded by the page that wasm-bench.mjs serves,
// next to dist/ (at /dist/) and this folder (at /bench/).
import init, * as wasm from '/dist/wasm/softkey.js';
import cases from '/bench/wasm-cases.mjs';

const DEFAULTS = {
  runs: 500, // calls timed per case
  warmupMs: 300, // JIT/tier-up and WebCrypto's key import settle before timing
  minBatchMs: 2, // a timed batch spans many timer ticks, even with coarse timers
  maxCaseMs: 15000, // stop sampling a slow case after this, with at least MIN_SAMPLES
};
const MIN_SAMPLES = 5;

async function call(fn) {
  const result = fn();
  if (result && typeof result.then === 'function') await result;
}

async function timeBatch(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await call(fn);
  return performance.now() - t0;
}

// Median per-call time of fn. Calls are timed in batches whose size is calibrated so a
// batch lasts at least minBatchMs: performance.now() is coarsened (5 µs when the page is
// cross-origin isolated, 100 µs otherwise), too coarse for one fast call.
async function measure(fn, opts) {
  const warmupEnd = performance.now() + opts.warmupMs;
  do await call(fn);
  while (performance.now() < warmupEnd);

  let batch = 1;
  while ((await timeBatch(fn, batch)) < opts.minBatchMs && batch < 1 << 20) batch *= 2;

  const wanted = Math.max(MIN_SAMPLES, Math.ceil(opts.runs / batch));
  const deadline = performance.now() + opts.maxCaseMs;
  const perCall = [];
  while (perCall.length < wanted) {
    perCall.push((await timeBatch(fn, batch)) / batch);
    if (perCall.length >= MIN_SAMPLES && performance.now() > deadline) break;
  }
  perCall.sort((a, b) => a - b);
  const mid = perCall.length >> 1;
  const median = perCall.length % 2 ? perCall[mid] : (perCall[mid - 1] + perCall[mid]) / 2;
  return { median_ms: median, calls: perCall.length * batch, batch };
}

async function webCryptoSign() {
  const { privateKey } = await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  // authenticatorData (37 bytes) || SHA-256(clientDataJSON): what an assertion signs.
  const message = crypto.getRandomValues(new Uint8Array(69));
  return () => crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, message);
}

// The ratio that the signing target is about, measured so a shared machine's load cannot skew
// it: batches of the two signers alternate, and the median of the per-round ratios is kept.
// (The table's separate medians are measured minutes apart and drift with the load.)
async function pairedRatio(fnA, fnB, rounds = 41) {
  let batch = 1;
  while ((await timeBatch(fnA, batch)) < 5 && batch < 1 << 16) batch *= 2;
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    const a = await timeBatch(fnA, batch);
    const b = await timeBatch(fnB, batch);
    ratios.push(a / b);
  }
  ratios.sort((x, y) => x - y);
  return ratios[ratios.length >> 1];
}

export async function runBench(options = {}) {
  const opts = { ...DEFAULTS, ...options };
  await init();
  const rows = [];

  const baseline = await measure(await webCryptoSign(), opts);
  rows.push({ name: 'WebCrypto ECDSA P-256 sign', where: 'webcrypto', ...baseline });

  for (const c of cases) {
    let fn;
    try {
      fn = await c.setup(wasm);
    } catch (err) {
      rows.push({ name: c.name, where: 'wasm', skipped: `setup failed: ${err?.message ?? err}` });
      continue;
    }
    if (typeof fn !== 'function') {
      rows.push({ name: c.name, where: 'wasm', skipped: 'setup returned no function' });
      continue;
    }
    rows.push({ name: c.name, where: 'wasm', ...(await measure(fn, { ...opts, runs: c.runs ?? opts.runs })) });
  }

  const signCase = cases.find((c) => c.paired);
  const paired = signCase
    ? { name: `${signCase.name} ÷ WebCrypto sign, interleaved rounds`, ratio: await pairedRatio(await signCase.setup(wasm), await webCryptoSign()) }
    : null;

  return {
    paired,
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    exports: Object.keys(wasm).filter((k) => k !== 'default').sort(),
    rows,
  };
}
