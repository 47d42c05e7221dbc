import type { CustomerType, MessageTemplate } from '@care-chat/contract';
import { GraphErrors, graphError } from './graph-error.js';
import type { FakeRequest, FakeResponse, Router } from './router.js';

/** A message template as Graph holds it: Graph lists every status (APPROVED, PENDING, REJECTED, PAUSED…). */
export type FakeTemplate = Omit<MessageTemplate, 'content'>;

/** Graph's default page size for message_templates. */
const DEFAULT_LIMIT = 25;

const cursorOf = (index: number) => Buffer.from(`index:${index}`).toString('base64url');
const indexOf = (cursor: string | null) => {
  const match = /^index:(\d+)$/.exec(Buffer.from(cursor ?? '', 'base64url').toString());
  return match === null ? 0 : Number(match[1]);
};

/**
 * `GET /{waba-id}/message_templates`, as Graph answers it: every status, `limit` per page (25 unless
 * asked), an `after` cursor and a `next` URL while more follow. An account it was given no templates for
 * does not exist (error 100), as an id with a typo would not.
 */
export class FakeTemplates {
  private readonly byAccount = new Map<string, FakeTemplate[]>();

  constructor(router: Router) {
    router.add({
      name: 'templates',
      method: 'GET',
      pattern: /^(?:\/v\d+\.\d+)?\/(\d+)\/message_templates$/,
      handler: (request) => this.list(request),
    });
  }

  /** The templates account `accountId` holds, replacing any before. */
  set(accountId: string, templates: FakeTemplate[]): void {
    this.byAccount.set(accountId, templates);
  }

  private list({ params: [accountId = ''], url }: FakeRequest): FakeResponse {
    const templates = this.byAccount.get(accountId);
    if (templates === undefined) return graphError(400, GraphErrors.unknownObject(accountId));
    const limit = Number(url.searchParams.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT;
    const start = indexOf(url.searchParams.get('after'));
    const data = templates.slice(start, start + limit);
    const end = start + data.length;
    const next = new URL(url);
    next.searchParams.set('after', cursorOf(end));
    return {
      status: 200,
      body: {
        data,
        ...(data.length > 0 && {
          paging: {
            cursors: { before: cursorOf(start), after: cursorOf(end) },
            ...(end < templates.length && { next: next.href }),
          },
        }),
      },
    };
  }
}

/** The WhatsApp Business Account of each customer type in tests; each holds its type's SAMPLE_NUMBERS. */
export const SAMPLE_BUSINESS_ACCOUNTS = {
  Partner: '200000000000001',
  Customer: '200000000000002',
  Vendor: '200000000000003',
  SRDP: '200000000000004',
} as const satisfies Record<CustomerType, string>;

const body = (text: string) => ({ type: 'BODY', text });

/** Templates of every status for `type`'s account: two approved (one with a header and a button), three not. */
export function sampleTemplates(type: CustomerType): FakeTemplate[] {
  const id = (n: number) => `${SAMPLE_BUSINESS_ACCOUNTS[type]}${n}`;
  return [
    {
      id: id(101),
      name: `${type.toLowerCase()}_document_reminder`,
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Documents pending' },
        body('Hi {{1}}, please upload your pending documents to continue.'),
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Done' }] },
      ],
    },
    {
      id: id(102),
      name: `${type.toLowerCase()}_follow_up`,
      language: 'hi',
      status: 'APPROVED',
      category: 'MARKETING',
      components: [body('Namaste! Kya aapki samasya hal ho gayi?')],
    },
    {
      id: id(103),
      name: 'draft_offer',
      language: 'en_US',
      status: 'PENDING',
      category: 'MARKETING',
      components: [body('Offer')],
    },
    {
      id: id(104),
      name: 'refused_promo',
      language: 'en_US',
      status: 'REJECTED',
      category: 'MARKETING',
      components: [body('Promo')],
    },
    {
      id: id(105),
      name: 'paused_notice',
      language: 'en_US',
      status: 'PAUSED',
      category: 'UTILITY',
      components: [body('Paused')],
    },
  ];
}
