// Start/stop the Python relying-party + fixture-page server (tests/fixtures/rp_server.py).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..');
const SERVER = path.join(REPO_ROOT, 'tests', 'fixtures', 'rp_server.py');

/** Python to run the fixture server with: $SOFTKEY_PYTHON, else the repo venv. */
export function pythonPath() {
  if (process.env.SOFTKEY_PYTHON) return process.env.SOFTKEY_PYTHON;
  const venv = path.join(REPO_ROOT, '.venv', 'bin', 'python');
  if (existsSync(venv)) return venv;
  // Development fallback until build.sh creates .venv.
  if (existsSync('/tmp/venv-e2e/bin/python')) return '/tmp/venv-e2e/bin/python';
  return venv;
}

/**
 * @typedef {object} FixtureServer
 * @property {number} port
 * @property {string} spki base64 SHA-256 of the leaf certificate's SPKI
 * @property {string} ca path of the throwaway CA certificate (PEM)
 * @property {string[]} hosts host names to map to 127.0.0.1
 * @property {(method: string, p: string, body?: object, host?: string) => Promise<any>} request
 * @property {object} api convenience wrappers around /__test/*
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<FixtureServer>} */
export async function startFixtureServer({ port = 0, python = pythonPath(), timeoutMs = 20000 } = {}) {
  if (!existsSync(python)) {
    throw new Error(`fixture python not found: ${python} (set SOFTKEY_PYTHON or run ./build.sh)`);
  }
  const child = spawn(python, [SERVER, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (process.env.FIXTURE_VERBOSE) process.stderr.write(d);
  });
  const info = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`fixture server did not start:\n${stderr}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(buf.slice(0, nl)));
        } catch (e) {
          reject(new Error(`bad fixture server banner: ${buf}`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fixture server exited (${code}):\n${stderr}`));
    });
  });
  const ca = readFileSync(info.ca);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  function request(method, p, body, host = 'signin.aws.amazon.com') {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: '127.0.0.1',
        port: info.port,
        servername: host,
        method,
        path: p,
        ca,
        headers: {
          Host: host,
          'Content-Type': 'application/json',
          ...(data ? { 'Content-Length': data.length } : {}),
        },
      }, (res) => {
        let out = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { out += c; });
        res.on('end', () => {
          try { resolve(JSON.parse(out)); } catch { resolve({ status: res.statusCode, text: out }); }
        });
      });
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }

  const api = {
    reset: () => request('POST', '/__test/reset', {}),
    config: (cfg) => request('POST', '/__test/config', cfg),
    credentials: async () => (await request('GET', '/__test/credentials')).credentials,
    addCredential: (c) => request('POST', '/__test/credentials', c),
    events: async () => (await request('GET', '/__test/events')).events,
  };

  return {
    ...info,
    request,
    api,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGTERM');
        const t = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch {} }, 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
