import { CUSTOMER_TYPES } from './customer-types.js';
import { LIMITS } from './limits.js';
import { CHAT_STATUSES, EXECUTIVE_STATUSES, TAG_ACTIONS, USER_STATUSES } from './payloads.js';
import { type ClientEventName, type ClientRequests, SEND_MESSAGE_TYPES } from './requests.js';
import { TYPE_ROOMS } from './routes.js';
import {
  describe,
  id,
  integer,
  object,
  oneOf,
  oneOfAnyCase,
  optional,
  phone,
  text,
  type Validator,
} from './validation.js';

const room = oneOf(TYPE_ROOMS, (value) => `Invalid room: ${describe(value)}`);
const customerType = oneOf(CUSTOMER_TYPES);
const label = text(LIMITS.label);
/** Shown to people: blank text is refused. */
const visible = /\S/;
const page = optional(integer(1, LIMITS.page));
const pageSize = optional(integer(1, LIMITS.pageSize));

/** One validator per client event. The mapped type makes an event without a validator a compile error. */
export const clientValidators: { [E in ClientEventName]: Validator<ClientRequests[E]> } = {
  join_room: object({ room }),
  leave_room: object({ room }),
  join_chat: object({ chat_id: id, type: optional(label) }),
  join_chat_customer: object({ chat_id: id, type: optional(label), customer_type: optional(customerType) }),
  leave_chat: object({ chat_id: id }),
  get_dashboard_stats: object({}, { optional: true }),
  fetch_all_chats: object(
    {
      status: optional(oneOf(CHAT_STATUSES)),
      customer_type: optional(customerType),
      user_status: optional(oneOf(USER_STATUSES)),
      search: optional(text(LIMITS.search)),
      tag: optional(label),
      page,
      page_size: pageSize,
      assigned_executive_id: optional(id),
    },
    { optional: true },
  ),
  fetch_chats_by_user: object({ chat_id: id, page, page_size: pageSize }),
  search_chat: object({ customer: phone, customer_type: optional(customerType) }),
  config: object({ sender: phone, customer_type: optional(customerType) }),
  send_message: object({
    chat_id: id,
    // Kept as typed, untrimmed; WhatsApp refuses a blank body.
    message: text(LIMITS.message, visible),
    type: optional(oneOf(SEND_MESSAGE_TYPES)),
    chat_type: optional(label),
    datetime: optional(label),
    customer_type: optional(customerType),
    template_id: optional(id),
    template_name: optional(label),
  }),
  update_chat_status: object({ chat_id: optional(id), customer_number: phone, status: oneOf(CHAT_STATUSES) }),
  apply_tag: object({ chat_id: id, tag: text(LIMITS.label, visible), action: oneOf(TAG_ACTIONS) }),
  set_executive_status: object({ status: oneOfAnyCase(EXECUTIVE_STATUSES) }),
  reassign_chat: object({ chat_id: id, executive_id: id }),
  add_note: object({ chat_id: id, content: text(LIMITS.note, visible) }),
  typing: object({ chat_id: id }),
};

export function validateClientEvent<E extends ClientEventName>(event: E, data: unknown) {
  return clientValidators[event](data);
}
