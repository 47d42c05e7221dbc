import { randomBytes } from 'node:crypto';

export interface StreamedFile {
  field: string;
  fileName: string;
  contentType: string;
  chunks: AsyncIterable<Buffer>;
}

/** What a header's quoted value may hold: no quote, backslash or line break to end it early. */
const quotable = (value: string) => value.replace(/["\\\r\n]/g, '_');

/**
 * A multipart/form-data body (RFC 7578) written as the file's bytes arrive: the fields, then the file,
 * never held whole. Its `contentType` carries the boundary, random so no file can contain it by chance.
 */
export function formStream(fields: Record<string, string>, file: StreamedFile) {
  const boundary = `----care-chat-${randomBytes(16).toString('hex')}`;
  const part = (disposition: string, extra = '') =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n${extra}\r\n`);
  async function* body(): AsyncGenerator<Buffer> {
    for (const [name, value] of Object.entries(fields)) {
      yield part(`name="${quotable(name)}"`);
      yield Buffer.from(`${value}\r\n`);
    }
    yield part(
      `name="${quotable(file.field)}"; filename="${quotable(file.fileName)}"`,
      `Content-Type: ${file.contentType}\r\n`,
    );
    yield* file.chunks;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: body() };
}
