import { type CustomerType, customerTypeIds } from './customer-types.js';

/**
 * `WHATSAPP_BUSINESS_ACCOUNTS`, `{"Partner":"<whatsapp_business_account_id>",…}`: the WhatsApp Business
 * Account that holds each type's number, and so its message templates. Several numbers may share one
 * account. Throws an Error saying what is wrong with the text.
 */
export function parseBusinessAccounts(raw: string | undefined): Readonly<Partial<Record<CustomerType, string>>> {
  return Object.freeze(Object.fromEntries(customerTypeIds(raw, 'whatsapp_business_account_id')));
}
