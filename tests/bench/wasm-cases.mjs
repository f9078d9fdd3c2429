// Wasm benchmark cases, run in headless Chromium by tests/bench/wasm-bench.mjs
// (`./build.sh bench`) and compared against WebCrypto's ECDSA P-256 sign in the same run.
// A case is { name, setup(wasm) => fn, runs? }; see wasm-bench.mjs.

const MIN_KDF = { mCostKib: 19456, tCost: 2, pCost: 1 };

function registered(wasm) {
  const keyring = wasm.Keyring.create('bench password', MIN_KDF, Date.now());
  const create = {
    origin: 'https://console.aws.amazon.com',
    options: {
      rp: { id: 'amazon.com', name: 'Amazon Web Services' },
      user: { id: 'AAECAwQFBgcICQoLDA0ODw', name: 'alice', displayName: 'alice' },
      challenge: 'Y2hhbGxlbmdl',
      attestation: 'none',
    },
  };
  keyring.prepareCreate('c', create);
  const { result } = keyring.finishCreate('c', null, Date.now());
  return { keyring, id: result.id };
}

export default [
  {
    name: 'ES256 sign (p256 in wasm)',
    paired: true, // also timed against WebCrypto in alternating rounds (page.mjs pairedRatio)
    setup: (wasm) => {
      const signer = new wasm.BenchSigner();
      const message = new Uint8Array(69).fill(7);
      return () => signer.sign(message);
    },
  },
  {
    name: 'get_assertion, prepare + finish (Keyring)',
    setup: (wasm) => {
      const { keyring, id } = registered(wasm);
      const get = {
        origin: 'https://signin.aws.amazon.com',
        options: { challenge: 'c2lnbi1pbg', rpId: 'amazon.com', allowCredentials: [{ type: 'public-key', id }] },
      };
      return () => {
        keyring.prepareGet('g', get);
        keyring.finishGet('g', Date.now());
      };
    },
  },
  {
    name: 'TOTP code (SHA-1, 6 digits)',
    setup: (wasm) => {
      let t = 59;
      return () => wasm.totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', (t += 30));
    },
  },
  {
    name: 'vault unlock, default Argon2id (64 MiB, t=3)',
    runs: 7,
    setup: (wasm) => {
      const keyring = wasm.Keyring.create('bench password', null, Date.now());
      const envelope = keyring.seal();
      return () => wasm.Keyring.unlock(envelope, 'bench password').free();
    },
  },
];
