/**
 * Media the browser loads without headers (`<img src>`): a message's `mediaUrl` is a link signed by the
 * process that built the message (gateway or worker) and checked by the gateway that serves it.
 */
export const MEDIA_PATH = '/api/media';

/** The path a media id is served at; its signed link adds `?exp=…&sig=…`. */
export const mediaPath = (mediaId: string): string => `${MEDIA_PATH}/${mediaId}`;

/**
 * How long a link works at least. The dashboard asks for a chat's history, and so for fresh links, each
 * time the chat is opened; an hour covers a chat kept open for a long call.
 */
export const MEDIA_LINK_LIFETIME_SECONDS = 3600;

/** Links made within this long share one expiry, so a browser sees the same URL and keeps its copy. */
export const MEDIA_LINK_GRANULARITY_SECONDS = 600;

/** WhatsApp media ids are digits (e.g. `1122334455667788`); anything else names no media. */
export const isMediaId = (value: string): boolean => /^\d{1,32}$/.test(value);

/** The kinds of media WhatsApp sends, each with its own size limit. */
export type UploadKind = 'image' | 'sticker' | 'document' | 'audio' | 'video';

export interface UploadType {
  kind: UploadKind;
  /** WhatsApp's limit for the type (Cloud API, "Supported media types"). */
  maxBytes: number;
  /** File name endings that declare it, for a browser that declares no MIME type. */
  extensions: readonly string[];
}

const MB = 1024 * 1024;

/**
 * What `POST /api/media/upload` takes: the types WhatsApp accepts whose content can be told by its first
 * bytes. Plain text has none, so it is not taken.
 */
export const UPLOAD_TYPES = {
  'image/jpeg': { kind: 'image', maxBytes: 5 * MB, extensions: ['jpg', 'jpeg'] },
  'image/png': { kind: 'image', maxBytes: 5 * MB, extensions: ['png'] },
  // WhatsApp sends WebP only as a sticker: 500 KB animated, 100 KB still; the larger bounds both.
  'image/webp': { kind: 'sticker', maxBytes: 500 * 1024, extensions: ['webp'] },
  'application/pdf': { kind: 'document', maxBytes: 100 * MB, extensions: ['pdf'] },
  'application/msword': { kind: 'document', maxBytes: 100 * MB, extensions: ['doc'] },
  'application/vnd.ms-excel': { kind: 'document', maxBytes: 100 * MB, extensions: ['xls'] },
  'application/vnd.ms-powerpoint': { kind: 'document', maxBytes: 100 * MB, extensions: ['ppt'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    kind: 'document',
    maxBytes: 100 * MB,
    extensions: ['docx'],
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    kind: 'document',
    maxBytes: 100 * MB,
    extensions: ['xlsx'],
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    kind: 'document',
    maxBytes: 100 * MB,
    extensions: ['pptx'],
  },
  'audio/aac': { kind: 'audio', maxBytes: 16 * MB, extensions: ['aac'] },
  'audio/amr': { kind: 'audio', maxBytes: 16 * MB, extensions: ['amr'] },
  'audio/mpeg': { kind: 'audio', maxBytes: 16 * MB, extensions: ['mp3'] },
  'audio/mp4': { kind: 'audio', maxBytes: 16 * MB, extensions: ['m4a'] },
  'audio/ogg': { kind: 'audio', maxBytes: 16 * MB, extensions: ['ogg', 'opus'] },
  'video/mp4': { kind: 'video', maxBytes: 16 * MB, extensions: ['mp4'] },
  'video/3gpp': { kind: 'video', maxBytes: 16 * MB, extensions: ['3gp'] },
} as const satisfies Record<string, UploadType>;

export type UploadMimeType = keyof typeof UPLOAD_TYPES;

/** The largest upload any type allows. */
export const UPLOAD_MAX_BYTES = Math.max(...Object.values(UPLOAD_TYPES).map((type) => type.maxBytes));

/** How many first bytes `sniffUploadType` needs (fewer for a file shorter than that). */
export const SNIFF_BYTES = 16;

const ascii = (head: Uint8Array, offset: number, text: string) =>
  [...text].every((char, i) => head[offset + i] === char.charCodeAt(0));
const bytes = (head: Uint8Array, offset: number, expected: readonly number[]) =>
  expected.every((byte, i) => head[offset + i] === byte);

/** An ISO media file's brand (`ftyp`, bytes 8–11) says which of its types it is; an unknown one is video. */
function isoMediaType(head: Uint8Array): UploadMimeType {
  if (ascii(head, 8, 'M4A ')) return 'audio/mp4';
  if (ascii(head, 8, '3gp') || ascii(head, 8, '3g2')) return 'video/3gpp';
  return 'video/mp4';
}

/**
 * The types a file's first bytes allow, the likeliest first; empty when they are none we take. Office
 * files share one container per generation (OLE2, then ZIP), so those need the declared type to decide.
 */
function typesOfContent(head: Uint8Array): readonly UploadMimeType[] {
  if (bytes(head, 0, [0xff, 0xd8, 0xff])) return ['image/jpeg'];
  if (bytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ['image/png'];
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return ['image/webp'];
  if (ascii(head, 0, '%PDF-')) return ['application/pdf'];
  if (bytes(head, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'];
  if (ascii(head, 0, 'PK\u0003\u0004'))
    return [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ];
  if (ascii(head, 0, '#!AMR')) return ['audio/amr'];
  if (ascii(head, 0, 'OggS')) return ['audio/ogg'];
  if (ascii(head, 0, 'ID3')) return ['audio/mpeg'];
  if (ascii(head, 4, 'ftyp')) return [isoMediaType(head)];
  // Frame sync (11 bits set), then MPEG audio layer III is MP3, layer "0" is AAC's ADTS.
  if (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0) {
    const layer = ((head[1] ?? 0) >> 1) & 0b11;
    if (layer === 0b01) return ['audio/mpeg'];
    if (layer === 0b00) return ['audio/aac'];
  }
  return [];
}

const extensionOf = (fileName: string) => /\.([a-z\d]+)$/i.exec(fileName)?.[1]?.toLowerCase();

/**
 * The type of an upload, told by its first `SNIFF_BYTES` bytes; the declared MIME type or file name only
 * choose among the types those bytes allow. Undefined when the bytes are no type we take, or allow
 * several and nothing declared picks one.
 */
export function sniffUploadType(
  head: Uint8Array,
  declared: { mimeType?: string; fileName?: string },
): UploadMimeType | undefined {
  const candidates = typesOfContent(head);
  if (candidates.length <= 1) return candidates[0];
  const extension = declared.fileName === undefined ? undefined : extensionOf(declared.fileName);
  return candidates.find(
    (type) =>
      type === declared.mimeType?.toLowerCase() ||
      (extension !== undefined && (UPLOAD_TYPES[type].extensions as readonly string[]).includes(extension)),
  );
}
