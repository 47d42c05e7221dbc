import type { FakeMedia } from './fake-graph.js';

/** The image a local fake WhatsApp holds (a 1×1 PNG), to send in a webhook's `image.id`. */
export const SAMPLE_MEDIA = {
  id: '1122334455667788',
  mimeType: 'image/png',
  bytes: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
} as const satisfies FakeMedia;
