import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes exactly `expected` bytes on, or fails: more is a download that outgrew what WhatsApp declared
 * (and the Content-Length already sent), fewer is one cut short. Failing destroys the answer, so the
 * client sees a broken transfer rather than a file that is silently wrong.
 */
export class ExactLength extends Transform {
  private seen = 0;

  constructor(private readonly expected: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.expected) callback(new Error(`media longer than the ${this.expected} bytes declared`));
    else callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.seen < this.expected) callback(new Error(`media cut short: ${this.seen} of ${this.expected} bytes`));
    else callback();
  }
}

/**
 * The chunks of `source` as they come, until more than `max` bytes have: then `tooLarge()` is thrown, before
 * the chunk that crossed the limit is passed on, and nothing more is read.
 */
export async function* atMost(
  source: AsyncIterable<Buffer>,
  max: number,
  tooLarge: () => Error,
): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.length;
    if (seen > max) throw tooLarge();
    yield chunk;
  }
}
