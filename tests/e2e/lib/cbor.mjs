// A small CBOR reader (RFC 8949), written from the RFC and independent of our Rust code, for
// reading the vault's contents in tests: unsigned and negative integers, byte and text strings,
// arrays, maps (keys must be text), false/true/null and floats; definite and indefinite lengths.
// Maps become plain objects, byte strings Buffers. Throws on anything else or trailing bytes.

/** Decodes one CBOR item that must fill `bytes` exactly. */
export function decodeCbor(bytes) {
  const buf = Buffer.from(bytes);
  let at = 0;
  const need = (n) => {
    if (at + n > buf.length) throw new Error(`CBOR: truncated at ${at}`);
  };
  const argument = (info) => {
    if (info < 24) return info;
    const size = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
    if (!size) throw new Error(`CBOR: bad additional information ${info} at ${at}`);
    need(size);
    const value = size === 8 ? Number(buf.readBigUInt64BE(at)) : buf.readUIntBE(at, size);
    at += size;
    return value;
  };
  const item = () => {
    need(1);
    const initial = buf[at++];
    const major = initial >> 5;
    const info = initial & 31;
    if (info === 31 && major >= 2 && major <= 5) return indefinite(major);
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info === 25 || info === 26 || info === 27) {
        const size = { 25: 2, 26: 4, 27: 8 }[info];
        need(size);
        const value = size === 2 ? half(buf.readUInt16BE(at)) : size === 4 ? buf.readFloatBE(at) : buf.readDoubleBE(at);
        at += size;
        return value;
      }
      throw new Error(`CBOR: unsupported simple value ${info}`);
    }
    const n = argument(info);
    switch (major) {
      case 0: return n;
      case 1: return -1 - n;
      case 2: need(n); at += n; return buf.subarray(at - n, at);
      case 3: need(n); at += n; return buf.subarray(at - n, at).toString('utf8');
      case 4: return Array.from({ length: n }, () => item());
      case 5: {
        const out = {};
        for (let i = 0; i < n; i++) {
          const key = item();
          if (typeof key !== 'string') throw new Error('CBOR: a map key that is not text');
          out[key] = item();
        }
        return out;
      }
      default: throw new Error(`CBOR: unsupported major type ${major}`);
    }
  };
  const indefinite = (major) => {
    const parts = [];
    const out = major === 5 ? {} : null;
    for (;;) {
      need(1);
      if (buf[at] === 0xff) { at++; break; }
      if (major === 5) {
        const key = item();
        out[key] = item();
      } else parts.push(item());
    }
    if (major === 2) return Buffer.concat(parts);
    if (major === 3) return parts.join('');
    return major === 5 ? out : parts;
  };
  const half = (h) => {
    const exp = (h >> 10) & 31, mant = h & 1023, sign = h & 0x8000 ? -1 : 1;
    if (exp === 0) return sign * mant * 2 ** -24;
    if (exp === 31) return mant ? NaN : sign * Infinity;
    return sign * (1 + mant / 1024) * 2 ** (exp - 15);
  };
  const value = item();
  if (at !== buf.length) throw new Error(`CBOR: ${buf.length - at} trailing bytes`);
  return value;
}
