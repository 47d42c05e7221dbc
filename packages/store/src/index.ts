export {
  type Assignment,
  activeExecutive,
  assignChat,
  type ChatToAssign,
  openChatsOf,
  reassignChat,
  unassignedChats,
} from './assignment.js';
export { type ChatListQuery, findChatByCustomer, listChats } from './chat-list.js';
export { type ChatStatusChange, type ChatStatusResult, setChatStatus } from './chat-status.js';
export { applyTag, type TagChange, type TagResult } from './chat-tags.js';
export {
  type CustomerRides,
  type JsonObject,
  readContextHistory,
  readRides,
  writeContextHistory,
  writeCustomerDetails,
  writeRides,
} from './customer-records.js';
export { createPool, isChatId, type Queryable, warmPool, withTransaction } from './db.js';
export {
  addExecutive,
  disableExecutive,
  type ExecutiveListing,
  type ExecutiveLogin,
  findExecutiveForLogin,
  listExecutives,
  type NewExecutive,
  normalizeUsername,
  rehashPassword,
  resetPassword,
} from './executives.js';
export { type HistoryQuery, type HistoryResult, readHistory } from './history.js';
export { type InboundMessageRecord, type IngestResult, ingestInboundMessage, primeIngest } from './ingest.js';
export {
  createLogin,
  isLoginId,
  type LoginExecutive,
  loginStatus,
  type NewLogin,
  type RefreshOutcome,
  type RevokedReason,
  revokeLogin,
  rotateRefreshToken,
} from './logins.js';
export {
  MEDIA_LINK_VARIABLES,
  type MediaUrl,
  mediaLinkProblems,
  mediaSignerOf,
  NO_MEDIA_URL,
  signedMediaUrl,
} from './media-url.js';
export { migrate } from './migrate.js';
export { addNote, listNotes } from './notes.js';
export {
  beginSend,
  failReply,
  loadReply,
  type OutboundReply,
  recordWamid,
  sendRefused,
} from './outbound.js';
export { hashPassword, needsRehash, SCRYPT_PARAMETERS, verifyPassword } from './password.js';
export { type ReplyDraft, type ReplyKind, type ReplyResult, type ReplyTemplate, storeReply } from './replies.js';
export { checkSla, type SlaBreach, type SlaCheck } from './sla.js';
export { dashboardStats } from './stats.js';
export {
  applyMessageStatus,
  applyParkedStatuses,
  isKnownWamid,
  parkStatus,
  type StatusRecord,
} from './statuses.js';
export { visibleChatType } from './visible-chat.js';
export { type CustomerWindows, customerWindows } from './whatsapp-window.js';
