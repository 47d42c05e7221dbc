import { graphError } from './graph-error.js';
import type { FakeRequest, FakeResponse, Router } from './router.js';

/** A file as it reached the fake's media endpoint. */
export interface FakeUpload {
  phoneNumberId: string;
  /** The `type` field: what the uploader says the file is. */
  type: string;
  fileName: string;
  /** The Content-Type of the file part. */
  fileType: string;
  bytes: Buffer;
  /** The media id it answered with. */
  id: string;
}

const missing = (parameter: string) => ({
  message: `(#100) The parameter ${parameter} is required.`,
  type: 'OAuthException',
  code: 100,
});

/**
 * `POST /{phone-number-id}/media`, as the Cloud API takes an upload: multipart with `messaging_product`
 * `whatsapp`, `type` and `file`, answered `{ id }`. The media is then the fake's like a customer's, so a
 * download of that id returns the bytes uploaded.
 */
export class FakeUploads {
  readonly received: FakeUpload[] = [];

  constructor(
    router: Router,
    private readonly keep: (media: { mimeType: string; bytes: Buffer }) => string,
  ) {
    router.add({
      name: 'upload',
      method: 'POST',
      pattern: /^(?:\/v\d+\.\d+)?\/(\d+)\/media$/,
      handler: (request) => this.upload(request),
    });
  }

  private async upload({ params: [phoneNumberId = ''], headers, body }: FakeRequest): Promise<FakeResponse> {
    let form: FormData;
    try {
      const contentType = headers['content-type'] ?? '';
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
    } catch {
      return graphError(400, missing('file'));
    }
    if (form.get('messaging_product') !== 'whatsapp') return graphError(400, missing('messaging_product'));
    const file = form.get('file');
    const type = form.get('type');
    if (!(file instanceof Blob)) return graphError(400, missing('file'));
    if (typeof type !== 'string' || type === '') return graphError(400, missing('type'));
    const bytes = Buffer.from(await file.arrayBuffer());
    const id = this.keep({ mimeType: type, bytes });
    const fileName = file instanceof File ? file.name : '';
    this.received.push({ phoneNumberId, type, fileName, fileType: file.type, bytes, id });
    return { status: 200, body: { id } };
  }
}
