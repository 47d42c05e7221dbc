/**
 * What the dashboard needs of a value it reads, as data (`traffic.json` holds one per field path) and the
 * code that checks a payload against a list of them. Each kind is one reading of a fixture's `how`.
 */
export type CheckKind =
  /** The number 1 (`=== 1`). */
  | 'one'
  /** 1 or '1' (`== 1`). */
  | 'loose-one'
  | 'string'
  | 'non-empty-string'
  /** A phone number: digits only, as chat rows carry it. */
  | 'digits'
  /** A non-negative integer. */
  | 'count'
  | 'number'
  /** A string or a number, shown as is. */
  | 'scalar'
  | 'boolean'
  | 'array'
  | 'string-array'
  | 'object'
  /** ISO 8601 in UTC with milliseconds and `Z`. */
  | 'iso-utc-ms'
  /** An absolute http(s) URL: used as `<img src>` on the dashboard's own origin. */
  | 'absolute-url'
  /** One of `values`, compared with `===`. */
  | 'one-of'
  /** One of `values` once uppercased. */
  | 'one-of-uppercased'
  /** `===` the customer type of the page (or room) the payload is for. */
  | 'page-type'
  /** `===` the chat id the dashboard sent or the broadcast is about. */
  | 'asked-chat-id'
  /** `==` the customer number of that chat. */
  | 'chat-customer'
  /** `===` the login's adminid (the executive's id, a string). */
  | 'executive-id'
  /** `===` the executive's agentNumber. */
  | 'agent-number'
  /** A non-empty string when `status` is not 1 (read only then). */
  | 'failure-message'
  /** A non-empty HTTP body. */
  | 'bytes';

export interface Check {
  kind: CheckKind;
  values?: (string | number)[];
  /** null is accepted. */
  nullable?: true;
  /** Absence is accepted (the dashboard's fallback is harmless). */
  optional?: true;
  /** Not read while this path (from the payload's root) is an array. */
  unless_array?: string;
  /** When absent or null, the dashboard reads this sibling key instead, under the same check. */
  fallback?: string;
}

export interface FieldRead {
  path: string;
  how: string;
  if_missing?: string;
  check: Check;
  /** Set when the expectation comes from SPEC.md rather than a dashboard read. */
  basis?: string;
}

/** What a check compares with: the page's type, the chat asked for, the seeded executive. */
export interface CheckContext {
  pageType?: string;
  chatId?: string;
  customer?: string;
  executiveId?: string;
  agentNumber?: string;
}

const ISO_UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing (key absent)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function describe(check: Check, context: CheckContext): string {
  const values = JSON.stringify(check.values);
  const text: Record<CheckKind, string> = {
    one: 'the number 1',
    'loose-one': '1 or "1"',
    string: 'a string',
    'non-empty-string': 'a non-empty string',
    digits: 'a string of digits',
    count: 'a non-negative integer',
    number: 'a number',
    scalar: 'a string or a number',
    boolean: 'a boolean',
    array: 'an array',
    'string-array': 'an array of strings',
    object: 'an object',
    'iso-utc-ms': 'an ISO 8601 UTC time with ms and Z',
    'absolute-url': 'an absolute http(s) URL',
    'one-of': `one of ${values}`,
    'one-of-uppercased': `one of ${values} once uppercased`,
    'page-type': `the page's type ${show(context.pageType)}`,
    'asked-chat-id': `the chat id asked for ${show(context.chatId)} (same JSON type)`,
    'chat-customer': `the chat's customer ${show(context.customer)}`,
    'executive-id': `the executive's id ${show(context.executiveId)} (same JSON type)`,
    'agent-number': `the executive's agentNumber ${show(context.agentNumber)}`,
    'failure-message': 'a non-empty string',
    bytes: 'a non-empty body',
  };
  return text[check.kind] + (check.nullable ? ' or null' : '');
}

function passes(value: unknown, check: Check, context: CheckContext): boolean {
  switch (check.kind) {
    case 'one':
      return value === 1;
    case 'loose-one':
      return value === 1 || value === '1';
    case 'string':
      return typeof value === 'string';
    case 'non-empty-string':
    case 'failure-message':
      return typeof value === 'string' && value.length > 0;
    case 'digits':
      return typeof value === 'string' && /^\d+$/.test(value);
    case 'count':
      return Number.isInteger(value) && (value as number) >= 0;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'scalar':
      return typeof value === 'string' || typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'string-array':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'object':
      return isObject(value);
    case 'iso-utc-ms':
      return typeof value === 'string' && ISO_UTC_MS.test(value) && !Number.isNaN(Date.parse(value));
    case 'absolute-url':
      return typeof value === 'string' && /^https?:\/\/[^/]/.test(value);
    case 'one-of':
      return (check.values ?? []).includes(value as string | number);
    case 'one-of-uppercased':
      return typeof value === 'string' && (check.values ?? []).includes(value.toUpperCase());
    case 'page-type':
      return value === context.pageType;
    case 'asked-chat-id':
      return value === context.chatId;
    case 'chat-customer':
      // biome-ignore lint/suspicious/noDoubleEquals: the dashboard compares loosely (`sender == customer`).
      return value == context.customer;
    case 'executive-id':
      return value === context.executiveId;
    case 'agent-number':
      return value === context.agentNumber;
    case 'bytes':
      return (value as { length?: number } | undefined)?.length !== undefined && (value as Buffer).length > 0;
  }
}

interface Leaf {
  parent: Record<string, unknown>;
  key: string;
  at: string;
}

/**
 * The leaves a dotted path names in `root`: `x[]` is every element of x, `x[0]` its first. A leaf is only
 * named where its parent object exists: a nested field is required of its container, not of its absence.
 * A step through something that is present but not an array (for `[]`) is reported in `broken`.
 */
function leaves(root: unknown, path: string, broken: string[]): Leaf[] {
  const steps = path.split('.');
  const last = steps.pop() as string;
  let nodes: { value: unknown; at: string }[] = [{ value: root, at: '' }];
  for (const step of steps) {
    const [, name = step, index] = /^(.*?)(\[\d*\])?$/.exec(step) ?? [];
    const next: { value: unknown; at: string }[] = [];
    for (const node of nodes) {
      if (!isObject(node.value)) continue;
      const value = node.value[name];
      const at = node.at === '' ? name : `${node.at}.${name}`;
      if (index === undefined) next.push({ value, at });
      else if (value === undefined || value === null) continue;
      else if (!Array.isArray(value)) broken.push(`${at}: expected an array, got ${show(value)}`);
      else if (index === '[]') next.push(...value.map((item, i) => ({ value: item, at: `${at}[${i}]` })));
      else if (value.length > 0) next.push({ value: value[0], at: `${at}[0]` });
    }
    nodes = next;
  }
  return nodes
    .filter((node): node is { value: Record<string, unknown>; at: string } => isObject(node.value))
    .map((node) => ({ parent: node.value, key: last, at: node.at === '' ? last : `${node.at}.${last}` }));
}

const valueAt = (root: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), root);

const shortHow = (how: string) => (how.length > 90 ? `${how.slice(0, 87)}...` : how);

/** Every way `payload` fails `fields`, one readable line each: path, expected, got, and what the dashboard does. */
export function verify(payload: unknown, fields: readonly FieldRead[], context: CheckContext): string[] {
  const failures: string[] = [];
  for (const field of fields) {
    const { check } = field;
    if (check.unless_array !== undefined && Array.isArray(valueAt(payload, check.unless_array))) continue;
    if (check.kind === 'failure-message' && valueAt(payload, 'status') === 1) continue;
    const broken: string[] = [];
    for (const { parent, key, at } of leaves(payload, field.path, broken)) {
      let value = parent[key];
      let read = at;
      if ((value === undefined || value === null) && check.fallback !== undefined) {
        value = parent[check.fallback];
        read = `${at} (or its fallback ${check.fallback})`;
      }
      if (value === undefined && check.optional) continue;
      if (value === null && check.nullable) continue;
      if (!passes(value, check, context)) {
        const basis = field.basis === undefined ? `dashboard: ${shortHow(field.how)}` : field.basis;
        // A refusal says why in `message`: show it next to the status it explains.
        const reason = read === 'status' && typeof parent.message === 'string' ? ` "${parent.message}"` : '';
        failures.push(`${read}: expected ${describe(check, context)}, got ${show(value)}${reason} [${basis}]`);
      }
    }
    failures.push(...broken);
  }
  return failures;
}
