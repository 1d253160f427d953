// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's crc32 and PNG): the checksum of the SGRD
// container. Contract: crc32(bytes, prev) continues a running checksum; crc32 of "123456789" is 0xCBF43926.
// Not here: cryptographic integrity (CRC detects accidents, not tampering).
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, prev = 0): number {
  let c = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
