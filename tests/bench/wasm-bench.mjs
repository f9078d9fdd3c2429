#!/usr/bin/env node
// Benchmarks the built extension's wasm (dist/wasm) against WebCrypto's ECDSA P-256 sign
// in headless Chromium, and prints one table, merged with the native harness's results.
//
//   node tests/bench/wasm-bench.mjs [--dist DIR] [--native FILE] [--runs N]
//
// Needs `./build.sh` to have run (dist/, node_modules/playwright-core). `./build.sh bench`
// does all of it.
//
// --dist DIR: where the module with the benchmark hooks is (DIR/wasm/softkey.js: softkey-wasm
// built with `--features bench`; `./build.sh bench` makes it). The hooks (BenchSigner,
// totpCode) are not in the extension's own module; its size is still read from dist/.
//
// --native FILE: output of `cargo run --release -p softkey-harness --bin bench`. Lines
// that are JSON objects {"name": string, "median_ms": number, "runs"?: number} become
// table rows labelled "native"; any other lines are printed as they are, above the table.
//
// How it runs: a child process of this script (`--serve`) serves dist/ at /dist/ and
// this folder at /bench/ on 127.0.0.1 at a free port, cross-origin isolated so the page
// gets 5 µs timers; Chromium opens it and page.mjs does the timing. The server is
// stopped by its pid at the end.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const DIST = path.join(ROOT, 'dist');
const WASM = path.join(DIST, 'wasm', 'softkey_bg.wasm');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>SoftKey wasm bench</title>
<p>Driven by tests/bench/wasm-bench.mjs.</p>
`;

// ------------------------------------------------------------------ server (child)

function serve() {
  const roots = { '/dist/': process.env.SOFTKEY_BENCH_DIST || DIST, '/bench/': HERE };
  const server = createServer((req, res) => {
    // Cross-origin isolation: precise performance.now() for the timings.
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cache-Control', 'no-store');
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': MIME['.html'] }).end(PAGE);
      return;
    }
    const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
    if (prefix) {
      const base = roots[prefix];
      const file = path.join(base, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (file.startsWith(base + path.sep) && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404).end('not found');
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  });
}

// Starts the server child and resolves to { child, port } once it listens.
function startServer(dist) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, SOFTKEY_BENCH_DIST: path.resolve(dist) },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, port: JSON.parse(out.slice(0, nl)).port });
    });
  });
}

// --------------------------------------------------------------------- report

function parseNative(file) {
  const rows = [];
  const other = [];
  if (!file || !existsSync(file)) return { rows, other };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line);
      if (r && typeof r.name === 'string' && typeof r.median_ms === 'number') {
        rows.push({ name: r.name, where: 'native', median_ms: r.median_ms, calls: r.runs ?? r.calls ?? r.iters });
        continue;
      }
    } catch {
      // not a JSON row: shown verbatim
    }
    other.push(line);
  }
  return { rows, other };
}

function fmtMs(ms) {
  if (ms >= 100) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(3);
  return ms.toFixed(4);
}

function printTable(rows, baselineMs) {
  const header = ['case', 'where', 'median ms', 'ops/s', 'time vs WebCrypto sign', 'calls'];
  const ratio = (ms) => {
    const x = ms / baselineMs;
    return `${x < 0.1 ? x.toPrecision(2) : x.toFixed(2)}x`;
  };
  const body = rows.map((r) =>
    r.skipped
      ? [r.name, r.where, '-', '-', `skipped: ${r.skipped}`, '-']
      : [
          r.name,
          r.where,
          fmtMs(r.median_ms),
          Math.round(1000 / r.median_ms).toLocaleString('en-US'),
          ratio(r.median_ms),
          r.calls === undefined ? '-' : String(r.calls),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

// ----------------------------------------------------------------------- main

function parseArgs(argv) {
  const args = { native: null, runs: undefined, dist: DIST };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--native') args.native = argv[++i];
    else if (argv[i] === '--dist') args.dist = argv[++i];
    else if (argv[i] === '--runs') args.runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: wasm-bench.mjs [--dist DIR] [--native FILE] [--runs N])`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(WASM)) throw new Error(`${path.relative(ROOT, WASM)} is missing: run ./build.sh first`);
  const { chromium } = await import('playwright-core');

  const { child, port } = await startServer(args.dist);
  let result;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    const options = args.runs ? { runs: args.runs } : {};
    result = await page.evaluate(async (opts) => (await import('/bench/page.mjs')).runBench(opts), options);
  } finally {
    await browser?.close();
    process.kill(child.pid);
  }

  const native = parseNative(args.native);
  if (native.other.length) {
    console.log('native bench output (lines not in the {"name","median_ms"} JSON form):');
    for (const l of native.other) console.log(`  ${l}`);
    console.log();
  }
  const chrome = result.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? result.userAgent;
  console.log(`${chrome}, crossOriginIsolated=${result.crossOriginIsolated}; wasm exports: ${result.exports.join(', ') || '(none)'}`);
  console.log();
  const baseline = result.rows.find((r) => r.where === 'webcrypto');
  printTable([...result.rows, ...native.rows], baseline.median_ms);
  if (result.paired) {
    console.log();
    console.log(`${result.paired.name}: ${result.paired.ratio.toFixed(2)}x (median of per-round ratios; the figure to quote)`);
  }

  const bytes = readFileSync(WASM);
  console.log();
  console.log(`dist/wasm/softkey_bg.wasm: ${bytes.length} bytes raw, ${gzipSync(bytes, { level: 9 }).length} bytes gzip -9`);
}

if (process.argv[2] === '--serve') {
  serve();
} else {
  main().catch((err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  });
}
