import { sniffImage } from '#src/feedback/image-sniff.js';
import { tinyJpeg, tinyPng } from '#test/fixtures/images.js';

describe('sniffImage', () => {
  it('recognises PNG and JPEG by their bytes', () => {
    expect(sniffImage(tinyPng())).toBe('image/png');
    expect(sniffImage(tinyJpeg())).toBe('image/jpeg');
  });

  it('rejects what only claims to be an image: text, GIF, SVG, a truncated PNG signature', () => {
    expect(sniffImage(Buffer.from('hello, not an image'))).toBeUndefined();
    expect(sniffImage(Buffer.from('GIF89a\x01\x00\x01\x00'))).toBeUndefined();
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImage(tinyPng().subarray(0, 8))).toBeUndefined();
    expect(sniffImage(Buffer.alloc(0))).toBeUndefined();
  });
});
