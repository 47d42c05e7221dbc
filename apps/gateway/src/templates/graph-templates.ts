import { type MessageTemplate, templateContent } from '@care-chat/contract';
import { type Dispatcher, request } from 'undici';
import type { GatewayConfig } from '../env.js';
import { WhatsAppFailure } from '../errors.js';
import { failureOfGraph, graphErrorOf, readJson, transportFailure } from '../whatsapp/graph-answer.js';

const FIELDS = 'id,name,language,status,category,components';
const PAGE_SIZE = 100;
/** WhatsApp allows an account 6,000 templates at most: more pages than that would take is a loop. */
const MAX_PAGES = 60;
/** A page of 100 templates with their components; more is not Graph. */
const MAX_PAGE_BYTES = 4 * 1024 * 1024;

/** A template as Graph gives it: the listing without the preview made of it. */
type GraphTemplate = Omit<MessageTemplate, 'content'>;

interface Page {
  data: unknown[];
  paging?: { cursors?: { after?: unknown }; next?: unknown };
}

const isPage = (value: unknown): value is Page => Array.isArray((value as Partial<Page> | null)?.data);

const isTemplate = (value: unknown): value is GraphTemplate => {
  const t = value as Partial<GraphTemplate> | null;
  return (
    typeof t?.id === 'string' &&
    typeof t.name === 'string' &&
    typeof t.language === 'string' &&
    typeof t.status === 'string' &&
    typeof t.category === 'string' &&
    Array.isArray(t.components) &&
    t.components.every((c) => typeof c === 'object' && c !== null)
  );
};

export interface TemplateSource {
  graph: GatewayConfig['graph'];
  dispatcher: Dispatcher;
}

/**
 * The approved templates of business account `accountId` (`GET /{waba-id}/message_templates`), every page:
 * Graph pages by cursor, and the next page is asked of our own base URL with the `after` cursor, never of
 * the `next` URL Graph hands out. Throws an HttpFailure saying what went wrong.
 */
export async function fetchApprovedTemplates(accountId: string, source: TemplateSource): Promise<MessageTemplate[]> {
  const { graph, dispatcher } = source;
  if (graph.accessToken === undefined) throw WhatsAppFailure.notConfigured();
  const what = 'the message templates';
  const templates: MessageTemplate[] = [];
  let after: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ fields: FIELDS, limit: String(PAGE_SIZE), ...(after && { after }) });
      const answer = await request(`${graph.baseUrl}/${accountId}/message_templates?${query}`, {
        dispatcher,
        headers: { authorization: `Bearer ${graph.accessToken}` },
        headersTimeout: graph.timeoutMs,
        bodyTimeout: graph.timeoutMs,
      });
      if (answer.statusCode !== 200) {
        const { code } = await graphErrorOf(answer);
        throw failureOfGraph(answer, code, what);
      }
      const body = await readJson(answer.body, MAX_PAGE_BYTES);
      if (!isPage(body)) throw WhatsAppFailure.upstream(answer.statusCode, what);
      for (const item of body.data) {
        if (!isTemplate(item) || item.status !== 'APPROVED') continue;
        const { id, name, language, status, category, components } = item;
        templates.push({
          id,
          name,
          language,
          status,
          category,
          components,
          content: templateContent(components, name),
        });
      }
      const cursor = body.paging?.cursors?.after;
      if (body.paging?.next === undefined || typeof cursor !== 'string' || cursor === '') return templates;
      after = cursor;
    }
    throw WhatsAppFailure.upstream(200, `${what} (more than ${MAX_PAGES} pages)`);
  } catch (err) {
    throw transportFailure(err);
  }
}
