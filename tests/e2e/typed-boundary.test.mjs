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
    const k = wasm.Keyring.create('pw', { mCostKib: 19456, tCost: 2, pCost: 1 }, nowMs);
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
      // A page's QR codes: a link first, then the authenticator's URI with stray whitespace.
      info: wasm.qrCaptureInfo(['https://aws.amazon.com/iam/', ` ${uri}\n`], secret.toLowerCase()),
      infoNoText: wasm.qrCaptureInfo([uri], ''),
      notOtpauth: failure(() => wasm.qrCaptureInfo(['https://aws.amazon.com/iam/', secret], '')),
      badOtpauth: failure(() => wasm.qrCaptureInfo(['otpauth://totp/Example:alice'], '')),
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
  assert.deepEqual(got.info, {
    uri: `otpauth://totp/Example:alice?secret=${RFC_SECRET}&issuer=Example`,
    issuer: 'Example',
    account: 'alice',
    sameSecret: true,
  });
  assert.deepEqual(got.notOtpauth, { name: 'InvalidEntry', kind: 'notOtpauth', isError: true });
  assert.deepEqual(got.badOtpauth, { name: 'InvalidEntry', kind: 'invalidEntry', isError: true });
  assert.equal(got.infoNoText.sameSecret, null);
  assert.deepEqual(got.duplicate, { name: 'DuplicateEntry', kind: 'duplicate', isError: true });
  assert.deepEqual(got.hotp, { name: 'InvalidEntry', kind: 'invalidEntry', isError: true });
  assert.deepEqual(got.jsonText, { name: 'BadRequest', kind: 'badRequest', isError: true });
  assert.deepEqual(got.missing, { name: 'NotFound', kind: 'notFound', isError: true });
});

test('typed wasm calls: ceremonies, security keys, settings, password, U2F and transfer', async () => {
  const nowMs = 1_900_000_000_000;
  const got = await session.control.evaluate(async ({ nowMs }) => {
    const wasm = await import('/wasm/softkey.js');
    await wasm.default();
    const transfer = await import('/wasm/softkey_transfer.js');
    await transfer.default();
    const failure = (fn) => {
      try {
        fn();
        return null;
      } catch (e) {
        return { name: e.name, kind: e.kind, isError: e instanceof Error };
      }
    };
    const b64u = (t) => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const k = wasm.Keyring.create('pw', { mCostKib: 19456, tCost: 2, pCost: 1 }, nowMs);
    const create = {
      origin: 'https://console.aws.amazon.com',
      options: {
        rp: { id: 'amazon.com', name: 'Amazon Web Services' },
        user: { id: 'AAECAwQFBgcICQoLDA0ODw', name: 'alice', displayName: 'alice' },
        challenge: 'Y2hhbGxlbmdlLWNoYWxsZW5nZQ',
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        attestation: 'none',
      },
    };
    const precheckCreate = wasm.precheckCreate(create);
    const createDecision = k.prepareCreate('c1', create);
    const made = k.finishCreate('c1', { label: 'Mine', aws: { account: '210987654321', user: 'alice' } }, nowMs);
    const get = {
      origin: 'https://signin.aws.amazon.com',
      options: { challenge: 'c2lnbi1pbg', rpId: 'amazon.com', allowCredentials: [{ type: 'public-key', id: made.result.id }] },
    };
    const precheckGet = wasm.precheckGet(get);
    const getDecision = k.prepareGet('g1', get);
    const signed = k.finishGet('g1', nowMs);
    // The browser's own WebCrypto verifies the assertion against the registration's key.
    const r = signed.result.response;
    const key = await crypto.subtle.importKey('spki', b64u(made.result.response.publicKey),
      { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const authData = b64u(r.authenticatorData);
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', b64u(r.clientDataJSON)));
    const signedBytes = new Uint8Array(authData.length + 32);
    signedBytes.set(authData);
    signedBytes.set(hash, authData.length);
    const der = b64u(r.signature);
    let i = 2;
    const int = () => {
      const len = der[i + 1];
      let v = der.slice(i + 2, i + 2 + len);
      i += 2 + len;
      while (v.length > 32 && v[0] === 0) v = v.slice(1);
      const out = new Uint8Array(32);
      out.set(v, 32 - v.length);
      return out;
    };
    const raw = new Uint8Array(64);
    raw.set(int());
    raw.set(int(), 32);
    const verified = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, raw, signedBytes);

    const keysBefore = k.securityKeys();
    const renamed = k.updateSecurityKey(made.result.id, { label: 'Renamed', askBeforeSignIn: true });
    const keysAfter = k.securityKeys();
    const settings = k.settings();
    const setSettings = k.setSettings({ ...settings, autoLockMinutes: 5, autoSubmit: { aws: false, amazon: true } });
    const settingsAfter = k.settings();
    const badSettings = failure(() => k.setSettings({ ...settings, attestationFormat: 'none' }));

    // U2F: register, then sign with the key handle the vault lists.
    const appId = 'https://signin.aws.amazon.com';
    const u2fDecision = k.prepareU2fRegister('u1', {
      origin: appId, options: { appId, registerRequests: [{ version: 'U2F_V2', challenge: 'cmVnaXN0ZXI' }], registeredKeys: [] },
    });
    const u2fMade = k.finishU2fRegister('u1', null, nowMs);
    const u2fKey = k.securityKeys().find((s) => s.madeWithU2f);
    const u2fSignDecision = k.prepareU2fSign('u2', {
      origin: appId, options: { appId, challenge: 'c2lnbg', registeredKeys: [{ version: 'U2F_V2', keyHandle: u2fKey.id }] },
    });
    const u2fSigned = k.finishU2fSign('u2', nowMs);
    const u2fForeign = failure(() => k.prepareU2fSign('u3', {
      origin: appId, options: { appId: 'https://evil.example', challenge: 'c2lnbg', registeredKeys: [{ version: 'U2F_V2', keyHandle: u2fKey.id }] },
    }));

    // Export and preview in the transfer module, from the envelope and the session key.
    k.addTotp('otpauth://totp/Example:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example', null, nowMs);
    const envelope = k.seal();
    const exported = transfer.exportFile(envelope, k.sessionKey(), 'otpauth', 'omit', '', nowMs);
    const exportedText = new TextDecoder().decode(b64u(exported.result.files[0].data));
    const preview = transfer.previewImport(envelope, k.sessionKey(), exported.result.files[0].data, '');
    const badFormat = failure(() => transfer.exportFile(envelope, k.sessionKey(), 'nope', 'omit', '', nowMs));

    const changed = k.changePassword('pw', 'new password');
    const reopened = wasm.Keyring.unlock(changed.envelope, 'new password').securityKeys().length;
    return {
      precheckCreate, createDecision, madeKeys: Object.keys(made.result).sort(), madeEnvelope: typeof made.envelope,
      precheckGet, getDecision, signedType: signed.result.type, verified,
      keysBefore, renamed, keysAfter, settings, setSettings, settingsAfter, badSettings,
      u2fDecision, u2fMade: Object.keys(u2fMade.result).sort(), u2fSignDecision, u2fSigned: Object.keys(u2fSigned.result).sort(), u2fForeign,
      exportedName: exported.result.files[0].name, exportedText, exportedEnvelope: exported.envelope, preview: preview.result, badFormat,
      changed: { result: changed.result, envelope: typeof changed.envelope }, reopened,
      wrongShape: failure(() => k.prepareGet('g9', JSON.stringify(get))),
      missingOptions: failure(() => wasm.precheckGet({ origin: get.origin })),
    };
  }, { nowMs });

  assert.deepEqual(got.precheckCreate, { kind: 'continue', rpId: 'amazon.com', host: 'console.aws.amazon.com', sameSite: true });
  assert.equal(got.createDecision.kind, 'needsConsent');
  assert.equal(got.createDecision.rpId, 'amazon.com');
  assert.deepEqual(got.madeKeys, ['authenticatorAttachment', 'clientExtensionResults', 'id', 'rawId', 'response', 'type']);
  assert.equal(got.madeEnvelope, 'string');
  assert.equal(got.precheckGet.kind, 'continue');
  assert.equal(got.getDecision.kind, 'ready');
  assert.equal(got.getDecision.credential.label, 'Mine');
  assert.equal(got.getDecision.credential.userName, 'alice');
  assert.equal(got.signedType, 'public-key');
  assert.equal(got.verified, true, 'WebCrypto verifies the assertion');
  assert.equal(got.keysBefore.length, 1);
  assert.deepEqual(got.keysBefore[0].aws, { account: '210987654321', user: 'alice' });
  assert.equal(got.keysBefore[0].createdMs, nowMs, 'u64 milliseconds cross as numbers');
  assert.equal(got.keysBefore[0].lastUsedMs, nowMs);
  assert.equal(got.renamed.result, null);
  assert.equal(typeof got.renamed.envelope, 'string');
  assert.equal(got.keysAfter[0].label, 'Renamed');
  assert.equal(got.keysAfter[0].askBeforeSignIn, true);
  assert.equal(typeof got.settings.autoLockMinutes, 'number');
  assert.equal(got.setSettings.result, null);
  assert.equal(got.settingsAfter.autoLockMinutes, 5);
  assert.deepEqual(got.settingsAfter.autoSubmit, { aws: false, amazon: true });
  assert.equal(got.badSettings?.isError, true);
  assert.equal(typeof got.badSettings.kind, 'string');
  assert.deepEqual(got.u2fDecision, { appId: 'https://signin.aws.amazon.com', origin: 'https://signin.aws.amazon.com' });
  assert.deepEqual(got.u2fMade, ['clientData', 'registrationData', 'version']);
  assert.equal(got.u2fSignDecision.appId, 'https://signin.aws.amazon.com');
  assert.equal(got.u2fSignDecision.credential.madeWithU2f, true);
  assert.deepEqual(got.u2fSigned, ['clientData', 'keyHandle', 'signatureData']);
  assert.equal(got.u2fForeign.name, 'U2fBadRequest');
  assert.match(got.exportedText, /^otpauth:\/\/totp\/.*secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ/m);
  assert.equal(got.exportedEnvelope, null, 'an export that moves no keys changes nothing');
  assert.equal(got.preview.preview.totpDuplicates.length, 1);
  assert.deepEqual(got.badFormat, { name: 'BadRequest', kind: 'badRequest', isError: true });
  assert.deepEqual(got.changed, { result: null, envelope: 'string' });
  assert.equal(got.reopened, 2);
  assert.deepEqual(got.wrongShape, { name: 'BadRequest', kind: 'badRequest', isError: true });
  assert.deepEqual(got.missingOptions, { name: 'BadRequest', kind: 'badRequest', isError: true });
});
