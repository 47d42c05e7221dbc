/** The four kinds of customer, each with its own WhatsApp business number, dashboard page and room. */
export const CUSTOMER_TYPES = ['Partner', 'Customer', 'Vendor', 'SRDP'] as const;

export type CustomerType = (typeof CUSTOMER_TYPES)[number];

const customerTypeSet: ReadonlySet<string> = new Set(CUSTOMER_TYPES);

export function isCustomerType(value: unknown): value is CustomerType {
  return typeof value === 'string' && customerTypeSet.has(value);
}

/** Ends a `switch` over a union: adding a member without a branch becomes a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled value: ${String(value)}`);
}
