/**
 * What an upload really is, from its first bytes: browsers and clients say whatever they like in
 * the part's Content-Type and file name, so neither is trusted. Only PNG and JPEG are screenshots.
 */
export type ImageType = 'image/png' | 'image/jpeg';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// The IHDR chunk must come first in a PNG: length 13, then its type.
const PNG_IHDR = Buffer.from([0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

export function sniffImage(data: Buffer): ImageType | undefined {
  if (data.length >= 16 && data.subarray(0, 8).equals(PNG_SIGNATURE) && data.subarray(8, 16).equals(PNG_IHDR)) return 'image/png';
  // SOI marker, then the start of another marker segment (APP0/APP1/DQT…): FF D8 FF.
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  return undefined;
}
