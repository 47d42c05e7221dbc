/**
 * Bounds on client and webhook input. They keep one socket from making the server hold or echo large
 * strings; the message limit is WhatsApp's own limit for a text body.
 */
export const LIMITS = {
  id: 128,
  /** WhatsApp message ids (`wamid.…`) run to about 60 characters; this leaves room. */
  wamid: 256,
  room: 64,
  label: 64,
  phone: 32,
  search: 100,
  message: 4096,
  note: 2000,
  /** Tags one chat may carry: the dashboard's pages offer three to five each, and the server adds a few. */
  tagsPerChat: 20,
  page: 100_000,
  pageSize: 100,
  /**
   * Chat rooms one socket may be in at once. An executive views a handful; each join rewrites the socket's
   * session, so the bound also bounds what one socket can make the gateways write to Redis.
   */
  chatsPerSocket: 50,
  fields: 32,
  /**
   * Levels of arrays and objects a webhook body may nest. Meta's deepest is about a dozen; serialising
   * thousands (BullMQ's JSON.stringify of the job) overflows the stack.
   */
  depth: 32,
  /** Seconds a webhook's time may lie ahead of this server's clock; a later one would pin its chat on top. */
  clockSkewSeconds: 3600,
} as const;
