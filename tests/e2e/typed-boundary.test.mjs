// The typed slice of the wasm boundary (docs/architecture.md, "Typed at the wasm boundary"):
// the real module in an extension page answers objects, not JSON text, with `null` where the
// JSON had it, and throws errors whose `kind` code may branch on. Codes are checked against the
// independent RFC 6238 implementation in lib/totp-reference.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startExtension } from './lib/extension-session.mjs';
import { totpAt, RFC_SECRET } from './lib/totp-reference.mjs';

let session;
before(async () => { session = await startExtension({ createVault: false }); });
after(() => session?.close());

test('typed wasm calls: objects in and out, errors with a stable kind', async () => {
  const nowMs = 1_900_000_005_000; // 5 s into a 30 s step
  const got = await session.control.evaluate(async ({ secret, nowMs }) => {
    const wasm = await import('/wasm/softkey.js');
    await wasm.default();
    const k = wasm.Keyring.create('pw', '{"mCostKib":19456,"tCost":2,"pCost":1}', nowMs);
    const failure = (fn) => {
      try {
        fn();
        return null;
      } catch (e) {
        return { name: e.name, kind: e.kind, isError: e instanceof Error };
      }
    };
    const uri = `otpauth://totp/Example:alice?secret=${secret}&issuer=Example`;
    const added = k.addTotp(uri, { label: 'Mine', aws: { account: '210987654321' } }, nowMs);
    const bare = k.addTotp(secret.slice(0, 16), {}, nowMs);
    const pair = k.totpPair(added.result.id, nowMs, 0);
    const codes = k.totpCodes(nowMs);
    const updated = k.updateTotp(bare.result.id, { label: 'Renamed' });
    const query = { url: 'https://signin.aws.amazon.com/signin', account: '2109-8765-4321' };
    const candidates = k.mfaCandidates(query, nowMs);
    return {
      addedType: typeof added,
      added,
      bareIssuer: bare.result.issuer,
      pair,
      codes,
      updated,
      candidates: candidates.map((c) => c.id),
      key: wasm.mfaChoiceKey(query),
      keyElsewhere: wasm.mfaChoiceKey({ url: 'https://evil.example/signin' }),
      site: wasm.siteOf('https://123456789012.signin.aws.amazon.com/oauth'),
      notOurs: wasm.siteOf('https://signin.aws.amazon.com.evil.example/'),
      info: wasm.otpauthInfo(uri, secret.toLowerCase()),
      infoNoText: wasm.otpauthInfo(uri, ''),
      duplicate: failure(() => k.addTotp(uri, {}, nowMs)),
      hotp: failure(() => k.addTotp(`otpauth://hotp/x?secret=${secret}&counter=1`, {}, nowMs)),
      // The old convention (JSON text) is now the wrong shape, refused by the core.
      jsonText: failure(() => k.mfaCandidates(JSON.stringify(query), nowMs)),
      missing: failure(() => k.deleteTotp('00ff')),
    };
  }, { secret: RFC_SECRET, nowMs });

  const t = nowMs / 1000;
  assert.equal(got.addedType, 'object');
  assert.equal(typeof got.added.envelope, 'string');
  assert.equal(got.added.result.code, totpAt(RFC_SECRET, t));
  assert.equal(got.added.result.label, 'Mine');
  assert.deepEqual(got.added.result.aws, { account: '210987654321' });
  assert.equal(got.bareIssuer, null, 'None crosses as null, as in JSON');
  assert.deepEqual(got.pair, [totpAt(RFC_SECRET, t), totpAt(RFC_SECRET, t + 30)]);
  assert.ok(Array.isArray(got.codes) && got.codes.length === 2);
  assert.deepEqual(got.updated.result, null);
  assert.equal(typeof got.updated.envelope, 'string');
  assert.deepEqual(got.candidates, [got.added.result.id]);
  assert.match(got.key, /^[0-9a-f]{64}$/);
  assert.equal(got.keyElsewhere, null);
  assert.equal(got.site.kind, 'awsSignin');
  assert.equal(got.site.partition, 'aws');
  assert.equal(got.site.account, '123456789012');
  assert.equal(got.site.fill, true);
  assert.equal(got.site.region, null);
  assert.equal(got.notOurs, null);
  assert.deepEqual(got.info, { issuer: 'Example', account: 'alice', sameSecret: true });
  assert.equal(got.infoNoText.sameSecret, null);
  assert.deepEqual(got.duplicate, { name: 'DuplicateEntry', kind: 'duplicate', isError: true });
  assert.deepEqual(got.hotp, { name: 'InvalidEntry', kind: 'invalidEntry', isError: true });
  assert.deepEqual(got.jsonText, { name: 'BadRequest', kind: 'badRequest', isError: true });
  assert.deepEqual(got.missing, { name: 'NotFound', kind: 'notFound', isError: true });
});
