// The generated extension/shared/sites.js must answer exactly as the Rust site table it came
// from (wasm/core/src/sites.rs): the same surface for every URL, the same origin answers. The
// Rust side answers through the test harness (softkey-harness sites.*), so this compares two
// implementations — the generated regexes and the Rust label matcher — on a corpus of real
// hosts, look-alikes and mechanical mutations of both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './lib/fixture-server.mjs';
import '../../extension/shared/sites.js';

const S = globalThis.SoftKeySites;
const HARNESS = process.env.SOFTKEY_HARNESS || path.join(REPO_ROOT, 'target', 'debug', 'softkey-harness');

function rust(command, input) {
  const out = execFileSync(HARNESS, [`sites.${command}`], { input: JSON.stringify(input), encoding: 'utf8' });
  return JSON.parse(out);
}

const HOSTS = [
  'signin.aws.amazon.com', 'us-east-1.signin.aws.amazon.com', '123456789012.signin.aws.amazon.com',
  'console.aws.amazon.com', 'eu-west-1.console.aws.amazon.com', '000000000000-aaaaaaaa.us-east-1.console.aws.amazon.com',
  'd-9067abcdef.awsapps.com', 'view.awsapps.com', 'ssoins-7223abcdef012345.portal.us-east-1.app.aws',
  'us-east-1.signin.aws', 'profile.aws.amazon.com', 'signin.amazonaws-us-gov.com',
  'us-gov-west-1.console.amazonaws-us-gov.com', '123456789012-abcdefgh.us-gov-west-1.console.amazonaws-us-gov.com',
  'signin.amazonaws.cn', '123456789012.signin.amazonaws.cn', 'cn-north-1.console.amazonaws.cn',
  'eusc-de-east-1.signin.amazonaws-eusc.eu', 'console.amazonaws-eusc.eu', 'www.amazon.com',
];
const PATHS = ['/', '/start', '/start/', '/start/#/', '/ap/mfa?arb=1', '/ap', '/apple', '/a/settings/approval',
  '/a/settings/approval/setup/register', '/a/settings/approvals', '/platform/d-9067abcdef/login?workflowStateHandle=x',
  '/oauth?client_id=arn:aws:signin', '/iam/home#/security_credentials'];

/** Look-alikes and near misses of a host, made mechanically. */
function mutations(host) {
  const labels = host.split('.');
  return [
    `${host}.evil.test`, `x-${host}`, `x${host}`, `${host}x`, labels.slice(1).join('.'),
    ['evil', ...labels].join('.'), ['a', 'b', ...labels].join('.'), host.replace('.', '-'),
    host.replace(/[a-z]/, (c) => String.fromCharCode(c.charCodeAt(0) + 1)),
    host.replace(/\d/, 'x'), `${host}.`, host.replace('amazon', 'amaz0n'), host.replace('aws', 'avvs'),
    labels.map((l, i) => (i === 0 ? `${l}-` : l)).join('.'), labels.map((l, i) => (i === 0 ? `-${l}` : l)).join('.'),
  ];
}

function corpus() {
  const urls = [];
  for (const host of HOSTS) {
    for (const p of PATHS) urls.push(`https://${host}${p}`);
    urls.push(`http://${host}/`, `https://${host}:8443/`, `https://${host}:443/`, `https://u:p@${host}/`,
      `https://${host.toUpperCase()}/`);
    for (const m of mutations(host)) urls.push(`https://${m}/`, `https://${m}/start`, `https://${m}/ap/mfa`);
  }
  urls.push('null', '', 'about:blank', 'javascript:alert(1)', 'https://', 'https:///start', 'data:text/html,x');
  return urls;
}

test('sites.js and the Rust table name the same surface for every URL of the corpus', () => {
  const urls = corpus();
  const expected = rust('surfaceOf', urls);
  const disagree = [];
  urls.forEach((u, i) => {
    const got = S.surfaceOf(u)?.id ?? null;
    // The browser normalizes what Rust never sees (upper case, :443); compare what a browser hands us.
    let normalized = u;
    try { normalized = new URL(u).href; } catch (_) { /* not a URL: compare as is */ }
    const want = normalized === u ? expected[i] : rust('surfaceOf', [normalized])[0];
    if (got !== want) disagree.push({ url: u, js: got, rust: want });
  });
  assert.deepEqual(disagree, []);
  // The corpus must exercise both answers, or the comparison proves nothing.
  assert.ok(expected.filter(Boolean).length > 50, 'the corpus matches many surfaces');
  assert.ok(expected.filter((x) => x === null).length > 200, 'and refuses many URLs');
});

test('sites.js and the Rust table agree on which origins may use WebAuthn and the U2F API', () => {
  const origins = [];
  for (const host of HOSTS) {
    origins.push(`https://${host}`, `http://${host}`, `https://${host}:8443`);
    for (const m of mutations(host)) origins.push(`https://${m}`);
  }
  origins.push('null', 'https://www.amazon.com/ap', '');
  const expected = rust('originHas', origins);
  origins.forEach((o, i) => {
    assert.equal(S.originHas(o, 'webauthn'), expected[i].webauthn, `webauthn ${o}`);
    assert.equal(S.originHas(o, 'u2f'), expected[i].u2f, `u2f ${o}`);
  });
});
