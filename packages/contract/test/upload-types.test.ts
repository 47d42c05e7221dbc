import { describe, expect, it } from 'vitest';
import { SNIFF_BYTES, sniffUploadType, UPLOAD_MAX_BYTES, UPLOAD_TYPES } from '../src/media.js';

const head = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('sniffUploadType', () => {
  it.each([
    ['a JPEG', head([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    ['a PNG', head([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
    ['a WebP', head('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['a PDF', head('%PDF-1.7\n'), 'application/pdf'],
    ['an AMR', head('#!AMR\n'), 'audio/amr'],
    ['an Ogg', head('OggS', [0]), 'audio/ogg'],
    ['an MP3 with ID3', head('ID3', [4, 0]), 'audio/mpeg'],
    ['an MP3 frame', head([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
    ['an AAC (ADTS) frame', head([0xff, 0xf1, 0x50, 0x80]), 'audio/aac'],
    ['an MP4', head([0, 0, 0, 0x18], 'ftypisom'), 'video/mp4'],
    ['a 3GP', head([0, 0, 0, 0x18], 'ftyp3gp4'), 'video/3gpp'],
    ['an M4A', head([0, 0, 0, 0x18], 'ftypM4A '), 'audio/mp4'],
  ])('tells %s by its bytes, whatever was declared', (_name, bytes, type) => {
    expect(sniffUploadType(bytes, { mimeType: 'text/html', fileName: 'x.exe' })).toBe(type);
  });

  it('lets the declared type or file name choose among Office types of one container, and refuses a bare ZIP', () => {
    const zip = head('PK', [3, 4, 20, 0]);
    expect(sniffUploadType(zip, { mimeType: DOCX })).toBe(DOCX);
    expect(sniffUploadType(zip, { mimeType: 'application/octet-stream', fileName: 'Sheet.XLSX' })).toBe(XLSX);
    expect(sniffUploadType(zip, { mimeType: 'application/zip', fileName: 'archive.zip' })).toBeUndefined();
    const ole = head([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(sniffUploadType(ole, { fileName: 'letter.doc' })).toBe('application/msword');
    expect(sniffUploadType(ole, {})).toBeUndefined();
  });

  it.each([
    ['HTML declared as an image', head('<html><script>'), { mimeType: 'image/jpeg', fileName: 'a.jpg' }],
    ['plain text', head('hello there, a note'), { mimeType: 'text/plain', fileName: 'a.txt' }],
    ['nothing', head(), { mimeType: 'image/png' }],
    ['a JPEG cut to two bytes', head([0xff, 0xd8]), { mimeType: 'image/jpeg' }],
  ])('refuses %s', (_name, bytes, declared) => {
    expect(sniffUploadType(bytes, declared)).toBeUndefined();
  });

  it('needs no more than SNIFF_BYTES, and every type has a limit no larger than WhatsApp’s largest', () => {
    expect(sniffUploadType(head([0, 0, 0, 0x18], 'ftypM4A ', [0, 0, 0, 0]).subarray(0, SNIFF_BYTES), {})).toBe(
      'audio/mp4',
    );
    expect(UPLOAD_MAX_BYTES).toBe(100 * 1024 * 1024);
    expect(UPLOAD_TYPES['image/jpeg'].maxBytes).toBe(5 * 1024 * 1024);
  });
});
