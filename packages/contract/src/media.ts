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
