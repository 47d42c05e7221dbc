import type { MediaType } from './payloads.js';
import { isPlainObject } from './validation.js';

// Own keys only: message contents come from the sender's side, and `constructor` or `__proto__` must not
// reach Object.prototype.
/** `value[key]` when `value` is a plain object that has that key of its own. */
export const ownField = (value: unknown, key: string): unknown =>
  isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;

/** `value[key]` trimmed when it is a string, else ''. */
export const ownText = (value: unknown, key: string): string => {
  const found = ownField(value, key);
  return typeof found === 'string' ? found.trim() : '';
};

/** `label: detail`, or the label alone without a detail. */
export const labelled = (label: string, detail: string): string => (detail === '' ? label : `${label}: ${detail}`);

const MEDIA_PREVIEWS = {
  image: (media) => labelled('📷 Photo', ownText(media, 'caption')),
  video: (media) => labelled('🎥 Video', ownText(media, 'caption')),
  audio: (media) => (ownField(media, 'voice') === true ? '🎤 Voice message' : '🎵 Audio'),
  document: (media) => labelled('📄 Document', ownText(media, 'filename') || ownText(media, 'caption')),
  sticker: () => '💟 Sticker',
} as const satisfies Record<MediaType, (media: unknown) => string>;

export const isMediaType = (type: string): type is MediaType => Object.hasOwn(MEDIA_PREVIEWS, type);

/** What the chat list shows of media, whichever side sent it: `📷 Photo: <caption>` and the like. */
export const mediaPreview = (type: MediaType, media: unknown): string => MEDIA_PREVIEWS[type](media);
