import { ClientEvent, type ClientEventName } from '@care-chat/contract';
import { SocketErrorMessage } from '../../errors.js';
import { answer, type HandlerContext } from '../answer.js';

/** Events of the contract this tier does not carry out yet: validated and answered, never ignored. */
const NOT_YET: readonly ClientEventName[] = [
  ClientEvent.SendMessage,
  ClientEvent.UpdateChatStatus,
  ClientEvent.ApplyTag,
  ClientEvent.SetExecutiveStatus,
  ClientEvent.ReassignChat,
  ClientEvent.AddNote,
];

export function registerUnsupportedHandlers(context: HandlerContext): void {
  for (const event of NOT_YET) {
    answer(context, event, () => ({ status: 0, message: SocketErrorMessage.notSupported(event) }));
  }
}
