#!/usr/bin/env node
// The service worker's memory over many assertions (issue 9, "Memory"): the JS heap of the
// extension's worker (DevTools protocol Runtime.getHeapUsage on the worker target, each reading
// after HeapProfiler.collectGarbage), after a warm-up, after a first batch of assertions and after
// a second batch. Prints the growth per batch and the noise: the spread of repeated readings at
// one point with nothing running, and the difference between the two batches' growth. Numbers,
// not a pass/fail test.
//
// SoftKey signs silently at most 12 times a minute per tab, so the calls rotate over sign-in pages
// each the active tab of a window of its own (lib/windows.mjs); a window that has used its 12 is
// closed and a new one opened (a new tab, as a user's next sign-in would be).
//
//   node tests/bench/worker-memory.mjs [--batch 1000] [--batches 2] [--windows 12] [--readings 5]
import { startFixtureServer } from '../e2e/lib/fixture-server.mjs';
import { DEFAULT_DIST, launchBrowser, extensionWorker, extensionIdOf, url } from '../e2e/lib/browser.mjs';
import { pageInOwnWindow } from '../e2e/lib/windows.mjs';
import { median, register, signInPage } from './signin-timing.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const BATCH = arg('--batch', 1000);
const BATCHES = arg('--batches', 2);
const WINDOWS = arg('--windows', 12);
const READINGS = arg('--readings', 5);
const PER_TAB = 12; // the silent-signing budget of a tab per minute (engine.js)
const WARMUP = 2 * PER_TAB;

/**
 * A DevTools session on the extension's service worker, through the browser session (Playwright
 * gives none for a worker): `send(method, params)`. Attaching keeps the worker running, so one
 * instance is measured throughout (`instance()` checks it).
 */
async function workerSession(context) {
  const cdp = await context.browser().newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((i) => i.type === 'service_worker' && i.url.startsWith('chrome-extension://'));
  if (!target) throw new Error('the extension has no running service worker');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message);
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(`${m.error.message} (${m.error.code})`));
    else w.resolve(m.result);
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject });
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
  });
  return { send, close: () => cdp.detach().catch(() => {}) };
}

/** `READINGS` heap readings (bytes used), each after a full garbage collection. */
async function readHeap(worker) {
  const used = [];
  for (let i = 0; i < READINGS; i++) {
    await worker.send('HeapProfiler.collectGarbage');
    await worker.send('HeapProfiler.collectGarbage');
    used.push((await worker.send('Runtime.getHeapUsage')).usedSize);
  }
  return used;
}

/** The worker instance's id (set on first read): a restart would show as a new id. */
async function instance(worker) {
  const { result } = await worker.send('Runtime.evaluate', {
    expression: 'globalThis.__benchInstance ??= crypto.randomUUID()', returnByValue: true,
  });
  return result.value;
}

/** Bytes outside the JS heap (array buffers, the wasm linear memory), where Chromium reports it. */
async function backingBytes(worker) {
  return (await worker.send('Runtime.getHeapUsage')).backingStorageSize ?? null;
}

const server = await startFixtureServer();
const browser = await launchBrowser({ server, dist: DEFAULT_DIST });
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
try {
  const context = browser.context;
  const id = extensionIdOf(await extensionWorker(context));
  const control = await context.newPage();
  await control.goto(`chrome-extension://${id}/extension/ui/popup.html`);
  await control.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.create', password: 'bench password 1' }));
  await register(context, await context.newPage(), 'softkey', /^Register/);

  let opened = 0;
  const openTab = async () => {
    const page = await pageInOwnWindow(context, control, url('signin.aws.amazon.com', `/?auto=0&mem=${opened++}`));
    return signInPage(context, 'softkey', page);
  };
  let lastCounter = 0;
  let refused = 0;
  /** `n` assertions over WINDOWS tabs at once, each tab used PER_TAB times then closed. */
  const assertions = async (n) => {
    let left = n;
    const lane = async () => {
      while (left > 0) {
        const page = await openTab();
        for (let i = 0; i < PER_TAB && left > 0; i++) {
          left--;
          const counter = await page.evaluate(async () => {
            const publicKey = window.FixtureWebAuthn.decodeRequest(window.__benchOptions);
            publicKey.challenge = crypto.getRandomValues(new Uint8Array(32));
            try {
              const c = await navigator.credentials.get({ publicKey, signal: AbortSignal.timeout(10000) });
              return new DataView(c.response.authenticatorData).getUint32(33);
            } catch (e) {
              return e.name;
            }
          });
          if (typeof counter === 'number') lastCounter = Math.max(lastCounter, counter);
          else refused++;
        }
        await page.close();
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: WINDOWS }, lane));
    return (Date.now() - t0) / 1000;
  };

  await assertions(WARMUP);
  const worker = await workerSession(context);
  const who = await instance(worker);
  const backing0 = await backingBytes(worker);
  const points = [['after warm-up', await readHeap(worker), 0]];
  for (let b = 1; b <= BATCHES; b++) {
    const name = `after batch ${b}`;
    const seconds = await assertions(BATCH);
    points.push([name, await readHeap(worker), seconds]);
  }
  const backing2 = await backingBytes(worker);
  const restarted = (await instance(worker)) !== who;
  await worker.close();

  console.log(`\nService-worker JS heap (Runtime.getHeapUsage after collectGarbage), ${BATCH} assertions per batch,`);
  console.log(`${WINDOWS} tabs at once, ${opened} tabs opened in all; highest counter ${lastCounter}, ${refused} refused.`);
  console.log('| point | median used | readings (KiB) | batch time |');
  console.log('|---|---|---|---|');
  for (const [name, used, seconds] of points) {
    console.log(`| ${name} | ${kib(median(used))} | ${used.map((u) => (u / 1024).toFixed(1)).join(', ')} | ${seconds ? `${seconds.toFixed(0)} s` : ''} |`);
  }
  const m = points.map(([, used]) => median(used));
  const spread = Math.max(...points.map(([, used]) => Math.max(...used) - Math.min(...used)));
  const growth = m.slice(1).map((x, i) => x - m[i]);
  console.log(`growth per batch: ${growth.map(kib).join(', ')}; noise: readings at one point spread up to ${kib(spread)}, ` +
    `batch-to-batch differences ${growth.slice(1).map((g, i) => kib(Math.abs(g - growth[i]))).join(', ')}`);
  console.log(`outside the JS heap (backingStorageSize: array buffers, wasm memory): ` +
    `${backing0 === null ? 'not reported' : `${kib(backing0)} → ${kib(backing2)}`}; ` +
    `worker ${restarted ? 'RESTARTED during the run (numbers not comparable)' : 'one instance throughout'}`);
} finally {
  await browser.close();
  await server.stop();
}
