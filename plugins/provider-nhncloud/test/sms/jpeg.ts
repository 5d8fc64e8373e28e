/**
 * A JPEG header, built byte by byte, of the given pixel size and total length: SOI, a JFIF APP0 segment, a
 * baseline SOF0 frame (which carries the dimensions image-size reads), then zero padding. Not a decodable picture,
 * but exactly what carriers and NHN's limits look at: the type, the byte count and the frame's pixel size.
 */
export function jpegOf(width: number, height: number, totalBytes = 1024): Buffer {
  const soi = [0xff, 0xd8];
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  // SOF0: length 17, precision 8, height, width, 3 components (id, sampling, quantisation table).
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01];
  const head = Buffer.from([...soi, ...app0, ...sof0]);
  if (totalBytes < head.length + 2) throw new Error(`a JPEG header needs ${head.length + 2} bytes`);
  const out = Buffer.alloc(totalBytes);
  head.copy(out);
  out[totalBytes - 2] = 0xff;
  out[totalBytes - 1] = 0xd9; // EOI
  return out;
}
