import { isMediaId, MEDIA_PATH, type WhatsAppMedia } from '@care-chat/contract';

/** What `/api/media/upload` may answer besides a link of this tier's: WhatsApp's media id, named so. */
export const WHATSAPP_MEDIA_SCHEME = 'whatsapp-media:';

/** How WhatsApp is to find a reply's media: by the id it gave an upload, or at a public link. */
export type MediaSource = { id: string } | { link: string };

/**
 * Reads the `media_url` of a media reply: `whatsapp-media:<id>`, or this tier's own link to a media id
 * (`<PUBLIC_URL>/api/media/<id>`, signed or not), are media WhatsApp holds; any other https link is fetched
 * by WhatsApp. Null for anything else.
 */
export function mediaSourceOf(url: string, publicUrl: string | undefined): MediaSource | null {
  if (url.startsWith(WHATSAPP_MEDIA_SCHEME)) {
    const id = url.slice(WHATSAPP_MEDIA_SCHEME.length);
    return isMediaId(id) ? { id } : null;
  }
  const parsed = URL.parse(url);
  if (parsed === null) return null;
  if (publicUrl !== undefined && parsed.origin === new URL(publicUrl).origin) {
    const id = parsed.pathname.startsWith(`${MEDIA_PATH}/`) ? parsed.pathname.slice(MEDIA_PATH.length + 1) : '';
    return isMediaId(id) ? { id } : null;
  }
  return parsed.protocol === 'https:' ? { link: url } : null;
}

/** The media object stored with the reply (and sent to WhatsApp): the source, its caption, a document's name. */
export function replyMedia(source: MediaSource, caption: string, filename: string | null): WhatsAppMedia {
  return {
    ...source,
    ...(caption === '' ? {} : { caption }),
    ...(filename === null ? {} : { filename }),
  };
}

/** A document's name as its link ends, for the chat to show. */
export function fileNameOf(source: MediaSource): string | null {
  if (!('link' in source)) return null;
  const last = new URL(source.link).pathname.split('/').at(-1) ?? '';
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // A stray `%` is kept as written.
  }
  return name === '' ? null : name;
}
