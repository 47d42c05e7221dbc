import type { HandlerTable } from './answer.js';
import { chatStatusHandlers } from './handlers/chat-status.js';
import { chatHandlers } from './handlers/chats.js';
import { noteHandlers } from './handlers/notes.js';
import { presenceHandlers } from './handlers/presence.js';
import { readHandlers } from './handlers/reads.js';
import { reassignHandlers } from './handlers/reassign.js';
import { replyHandlers } from './handlers/replies.js';
import { roomHandlers } from './handlers/rooms.js';
import { tagHandlers } from './handlers/tags.js';
import { typingHandlers } from './handlers/typing.js';

/** Every client event's handler, built once for the process. */
export const handlers: HandlerTable = {
  ...roomHandlers,
  ...chatHandlers,
  ...readHandlers,
  ...typingHandlers,
  ...chatStatusHandlers,
  ...tagHandlers,
  ...noteHandlers,
  ...replyHandlers,
  ...presenceHandlers,
  ...reassignHandlers,
};
