/** The four kinds of customer, each with its own WhatsApp business number, dashboard page and room. */
export const CUSTOMER_TYPES = ['Partner', 'Customer', 'Vendor', 'SRDP'] as const;

export type CustomerType = (typeof CUSTOMER_TYPES)[number];

const customerTypeSet: ReadonlySet<string> = new Set(CUSTOMER_TYPES);

export function isCustomerType(value: unknown): value is CustomerType {
  return typeof value === 'string' && customerTypeSet.has(value);
}

/**
 * `{"<customer type>":"<digits>",…}`, the form of the variables that give each type an id at WhatsApp, as
 * entries. Throws an Error saying what is wrong with the text; `what` names the ids.
 */
export function customerTypeIds(raw: string | undefined, what: string): [CustomerType, string][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '{}');
  } catch {
    throw new Error('must be JSON, e.g. {"Partner":"1234567890"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`must be a JSON object of customer type to ${what}`);
  }
  return Object.entries(parsed).map(([type, id]) => {
    if (!isCustomerType(type))
      throw new Error(`unknown customer type "${type}" (one of: ${CUSTOMER_TYPES.join(', ')})`);
    if (typeof id !== 'string' || !/^\d{1,32}$/.test(id)) {
      throw new Error(`the ${what} of ${type} must be a string of digits`);
    }
    return [type, id];
  });
}

/**
 * `WHATSAPP_NUMBERS`, `{"Partner":"<phone_number_id>",…}`, turned around: which customer type each business
 * number serves. Throws an Error saying what is wrong with the text.
 */
export function parseWhatsAppNumbers(raw: string | undefined): ReadonlyMap<string, CustomerType> {
  const byNumber = new Map<string, CustomerType>();
  for (const [type, numberId] of customerTypeIds(raw, 'phone_number_id')) {
    if (byNumber.has(numberId)) throw new Error(`phone_number_id ${numberId} is given to two customer types`);
    byNumber.set(numberId, type);
  }
  return byNumber;
}

/** Ends a `switch` over a union: adding a member without a branch becomes a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled value: ${String(value)}`);
}
