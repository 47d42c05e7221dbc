import { ClientEvent } from '@care-chat/contract';
import { SocketErrorMessage } from '../../errors.js';
import { sendReply } from '../../replies/send-reply.js';
import type { HandlerTable } from '../answer.js';

/**
 * `send_message`: a text from the input, or a template from the picker (`template_id`, `template_name`,
 * and its content as `message`). The customer type is the chat's, whatever the page sends (three pages send
 * none); the text is kept as typed, untrimmed.
 */
export const replyHandlers = {
  [ClientEvent.SendMessage]: async (data, { socket, replies }) => {
    if (data.template_id !== undefined && data.template_name === undefined) {
      return { status: 0, message: SocketErrorMessage.templateNameMissing };
    }
    const named =
      data.template_name === undefined
        ? null
        : { id: data.template_id ?? data.template_name, name: data.template_name };
    const language =
      named === null ? undefined : await replies.templateLanguage(socket.data.executive.customerTypes, named);
    const template = named === null ? null : { ...named, ...(language === undefined ? {} : { language }) };
    const sent = await sendReply(replies, socket.data.executive, {
      chatId: data.chat_id,
      kind: template === null ? 'text' : 'template',
      body: data.message,
      preview: data.message,
      template,
      mediaType: null,
      media: null,
      mediaLink: null,
      clientDatetime: data.datetime ?? null,
    });
    return sent.ok ? { status: 1, message_id: sent.messageId } : { status: 0, message: sent.message };
  },
} satisfies Partial<HandlerTable>;
