import { ClientEvent, type Failure } from '@care-chat/contract';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerTable } from '../answer.js';

const notYet = (event: string) => (): Failure => ({ status: 0, message: SocketErrorMessage.notSupported(event) });

/** Events of the contract this tier does not carry out yet: validated and answered, never ignored. */
export const unsupportedHandlers = {
  [ClientEvent.SendMessage]: notYet(ClientEvent.SendMessage),
} satisfies Partial<HandlerTable>;
