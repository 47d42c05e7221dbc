/** The four kinds of customer, each with its own WhatsApp business number, dashboard page and room. */
export const CUSTOMER_TYPES = ['Partner', 'Customer', 'Vendor', 'SRDP'] as const;

export type CustomerType = (typeof CUSTOMER_TYPES)[number];

const customerTypeSet: ReadonlySet<string> = new Set(CUSTOMER_TYPES);

export function isCustomerType(value: unknown): value is CustomerType {
  return typeof value === 'string' && customerTypeSet.has(value);
}

/**
 * `WHATSAPP_NUMBERS`, `{"Partner":"<phone_number_id>",…}`, turned around: which customer type each business
 * number serves. Throws an Error saying what is wrong with the text.
 */
export function parseWhatsAppNumbers(raw: string | undefined): ReadonlyMap<string, CustomerType> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '{}');
  } catch {
    throw new Error('must be JSON, e.g. {"Partner":"1234567890"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('must be a JSON object of customer type to phone_number_id');
  }
  const byNumber = new Map<string, CustomerType>();
  for (const [type, numberId] of Object.entries(parsed)) {
    if (!isCustomerType(type))
      throw new Error(`unknown customer type "${type}" (one of: ${CUSTOMER_TYPES.join(', ')})`);
    if (typeof numberId !== 'string' || !/^\d+$/.test(numberId)) {
      throw new Error(`the phone_number_id of ${type} must be a string of digits`);
    }
    if (byNumber.has(numberId)) throw new Error(`phone_number_id ${numberId} is given to two customer types`);
    byNumber.set(numberId, type);
  }
  return byNumber;
}

/** Ends a `switch` over a union: adding a member without a branch becomes a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled value: ${String(value)}`);
}
