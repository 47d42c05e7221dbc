import {
  ownField as field,
  isMediaType,
  isPlainObject,
  LIMITS,
  labelled,
  type MediaType,
  mediaPreview,
  ownText as text,
  type WhatsAppMedia,
  type WhatsAppMessage,
} from '@care-chat/contract';

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** What the dashboard shows of one inbound WhatsApp message. */
export interface MessageContent {
  /** Readable text for the chat list and history. */
  preview: string;
  media_type: MediaType | null;
  /** WhatsApp's media object (id, mime_type, sha256, caption, filename, url, voice, animated, …) as received, or null. */
  media: WhatsAppMedia | null;
  /** The id/payload of the button or list row the customer tapped, else null. */
  message_tag: string | null;
}

type Fields = Record<string, unknown>;

/** A kind's own reading, before the clean-up every kind shares (trim, fallback, forward prefix, cap). */
interface Reading {
  preview: string;
  tag?: unknown;
}

function location(kind: unknown): string {
  const [latitude, longitude] = [field(kind, 'latitude'), field(kind, 'longitude')];
  const coordinates = isFiniteNumber(latitude) && isFiniteNumber(longitude) ? `${latitude}, ${longitude}` : '';
  return labelled('📍 Location', text(kind, 'name') || text(kind, 'address') || coordinates);
}

// Unlike the other kinds, `contacts` is an array of contact cards.
function contacts(kind: unknown): string {
  const cards = Array.isArray(kind) ? kind : [];
  const more = cards.length > 1 ? ` +${cards.length - 1} more` : '';
  return labelled('👤 Contact', text(field(cards[0], 'name'), 'formatted_name')) + more;
}

function interactive(kind: unknown): Reading {
  const replyType = text(kind, 'type');
  const reply = field(kind, replyType);
  switch (replyType) {
    case 'button_reply':
      return { preview: text(reply, 'title') || 'Interactive reply', tag: field(reply, 'id') };
    case 'list_reply': {
      const row = [text(reply, 'title'), text(reply, 'description')].filter((part) => part !== '').join(' — ');
      return { preview: row || 'Interactive reply', tag: field(reply, 'id') };
    }
    // A WhatsApp Flow's answers arrive as a JSON string in `response_json`: nothing readable to show.
    case 'nfm_reply':
      return { preview: '📝 Form response' };
    default:
      return { preview: 'Interactive reply' };
  }
}

function order(kind: unknown): string {
  const items = field(kind, 'product_items');
  if (!Array.isArray(items)) return '🛒 Order';
  return `🛒 Order (${items.length} ${items.length === 1 ? 'item' : 'items'})`;
}

function read(type: string, kind: unknown, message: Fields): Reading {
  switch (type) {
    case 'text':
      return { preview: text(kind, 'body') };
    case 'location':
      return { preview: location(kind) };
    case 'contacts':
      return { preview: contacts(kind) };
    case 'interactive':
      return interactive(kind);
    // A quick-reply button of a template the business sent.
    case 'button':
      return { preview: text(kind, 'text'), tag: field(kind, 'payload') };
    // Meta reports a removed reaction as a reaction with an empty (or no) emoji.
    case 'reaction': {
      const emoji = text(kind, 'emoji');
      return { preview: emoji === '' ? 'Removed a reaction' : `Reacted ${emoji} to a message` };
    }
    case 'order':
      return { preview: order(kind) };
    case 'system':
      return { preview: text(kind, 'body') || 'System message' };
    case 'request_welcome':
      return { preview: '👋 Started a conversation' };
    // Older API versions say `unknown`; the reason is in the message's own `errors`, not in a kind object.
    case 'unsupported':
    case 'unknown': {
      const errors = field(message, 'errors');
      const reason = text(Array.isArray(errors) ? errors[0] : undefined, 'title');
      return { preview: labelled('⚠️ Unsupported message', reason) };
    }
    default:
      return { preview: '' };
  }
}

function fallback(type: string): string {
  // The type is only bounded by the webhook validator; keep a stray long one from filling the preview.
  const label = type.trim().slice(0, LIMITS.label);
  return label === '' ? 'Message' : `${label} message`;
}

// A tag is matched exactly against the ids the business sent, so it is kept whole or not at all, never cut.
const tagOf = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' && value.length <= LIMITS.message ? value : null;

function isForwarded(message: Fields): boolean {
  const context = field(message, 'context');
  return field(context, 'forwarded') === true || field(context, 'frequently_forwarded') === true;
}

function cap(preview: string): string {
  if (preview.length <= LIMITS.message) return preview;
  let end = LIMITS.message - 1;
  // Never cut between the two halves of a surrogate pair (most emoji), which would leave a broken character.
  const last = preview.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${preview.slice(0, end).trimEnd()}…`;
}

/**
 * The preview, media and tapped-button tag of an inbound message. Meta adds kinds and fields over time and
 * the job is untrusted JSON, so any shape gives a readable preview rather than an error.
 */
export function messageContent(message: WhatsAppMessage): MessageContent {
  const fields: Fields = isPlainObject(message) ? message : {};
  const rawType = field(fields, 'type');
  const type = typeof rawType === 'string' ? rawType : '';
  const kind = field(fields, type);
  const mediaType = isMediaType(type) ? type : null;
  const reading: Reading = mediaType === null ? read(type, kind, fields) : { preview: mediaPreview(mediaType, kind) };
  const body = reading.preview.trim() || fallback(type);
  return {
    preview: cap(isForwarded(fields) ? `↪️ Forwarded: ${body}` : body),
    media_type: mediaType,
    // Stored as received; its fields are Meta's and are checked where they are used (e.g. before a download).
    media: mediaType !== null && isPlainObject(kind) ? { ...kind } : null,
    message_tag: tagOf(reading.tag),
  };
}
