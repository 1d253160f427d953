// The SGRD container (DESIGN.md "Files"): magic "SGRD", u32 format version, u32 header length, a UTF-8 JSON
// header, a little-endian binary payload of float tensors (8-byte aligned), and a u32 CRC-32 of header +
// payload. Written to a sibling temp file, fsynced, renamed over the target, directory fsynced. Contract:
// reading a truncated, corrupted or other-version file throws an Error saying which, never returns data.
// Not here: what the header means (model_io.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FloatArray } from '../backend/backend';
import { crc32 } from './crc32';

export const MAGIC = 'SGRD';
export const FORMAT_VERSION = 1;
const PREFIX = 12; // magic + version + header length

/** A tensor's place in the payload (byte offset from the payload's start). */
export interface TensorEntry { dtype: 'float32' | 'float64'; length: number; offset: number }

/** Lays out tensors in a payload; returns the entries and the payload bytes (little-endian). */
export function packTensors(arrays: FloatArray[]): { entries: TensorEntry[]; payload: Uint8Array } {
  let size = 0;
  const entries = arrays.map((a) => {
    const offset = size;
    size += Math.ceil(a.byteLength / 8) * 8;
    return { dtype: a instanceof Float64Array ? 'float64' as const : 'float32' as const, length: a.length, offset };
  });
  const payload = new Uint8Array(size), view = new DataView(payload.buffer);
  arrays.forEach((a, i) => {
    const o = entries[i]!.offset;
    if (a instanceof Float64Array) for (let j = 0; j < a.length; j++) view.setFloat64(o + 8 * j, a[j]!, true);
    else for (let j = 0; j < a.length; j++) view.setFloat32(o + 4 * j, a[j]!, true);
  });
  return { entries, payload };
}

/** Reads one tensor of the payload, bounds-checked. */
export function unpackTensor(payload: Uint8Array, e: TensorEntry, what: string): FloatArray {
  const width = e.dtype === 'float64' ? 8 : e.dtype === 'float32' ? 4 : 0;
  if (width === 0 || !Number.isSafeInteger(e.length) || !Number.isSafeInteger(e.offset) || e.offset < 0 || e.length < 0 ||
    e.offset + e.length * width > payload.length) {
    throw new Error(`model file: tensor ${what} lies outside the payload (corrupted header)`);
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (width === 8) { const a = new Float64Array(e.length); for (let j = 0; j < e.length; j++) a[j] = view.getFloat64(e.offset + 8 * j, true); return a; }
  const a = new Float32Array(e.length);
  for (let j = 0; j < e.length; j++) a[j] = view.getFloat32(e.offset + 4 * j, true);
  return a;
}

/** The file's bytes: prefix, header, payload, CRC-32. */
export function encode(header: object, payload: Uint8Array): Uint8Array {
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(PREFIX + h.length + payload.length + 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(h.length, 8);
  h.copy(out, PREFIX);
  out.set(payload, PREFIX + h.length);
  out.writeUInt32LE(crc32(out.subarray(PREFIX, PREFIX + h.length + payload.length)), PREFIX + h.length + payload.length);
  return out;
}

/** Parses and verifies a file's bytes; `where` names the file in errors. */
export function decode(bytes: Uint8Array, where: string): { header: Record<string, unknown>; payload: Uint8Array } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 4 || b.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${where}: not a simdgrad model file (no SGRD magic bytes)`);
  if (b.length < PREFIX + 4) throw new Error(`${where}: file is truncated (${b.length} bytes)`);
  const version = b.readUInt32LE(4);
  if (version !== FORMAT_VERSION) throw new Error(`${where}: format version ${version} is not supported; this simdgrad reads version ${FORMAT_VERSION}`);
  const hlen = b.readUInt32LE(8);
  if (PREFIX + hlen + 4 > b.length) throw new Error(`${where}: file is truncated (header of ${hlen} bytes, file of ${b.length})`);
  let header: Record<string, unknown>;
  try { header = JSON.parse(b.toString('utf8', PREFIX, PREFIX + hlen)) as Record<string, unknown>; } catch {
    throw new Error(`${where}: file is corrupted (header is not valid JSON)`);
  }
  const plen = header.payloadBytes;
  if (typeof plen !== 'number' || !Number.isSafeInteger(plen) || plen < 0) throw new Error(`${where}: file is corrupted (payloadBytes missing)`);
  const end = PREFIX + hlen + plen;
  if (end + 4 > b.length) throw new Error(`${where}: file is truncated (expected ${end + 4} bytes, found ${b.length})`);
  if (end + 4 < b.length) throw new Error(`${where}: file is corrupted (${b.length - end - 4} unexpected trailing bytes)`);
  const stored = b.readUInt32LE(end), actual = crc32(b.subarray(PREFIX, end));
  if (stored !== actual) throw new Error(`${where}: file is corrupted (CRC-32 mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)})`);
  return { header, payload: new Uint8Array(b.buffer, b.byteOffset + PREFIX + hlen, plen) };
}

/** Atomic write: sibling temp file, fsync, rename over `file`, fsync of the directory. */
export async function writeAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  const dh = await fs.promises.open(dir, 'r');
  try { await dh.sync(); } finally { await dh.close(); }
}
