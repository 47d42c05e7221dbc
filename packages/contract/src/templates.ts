/**
 * A message template of a business account, as `GET /api/templates` lists it and the gateways' shared cache
 * keeps it: Graph's fields, and `content`, what the dashboard's picker shows and sends back as
 * `send_message.message`.
 */
export interface MessageTemplate {
  /** Graph's id of the template: the picker sends it as `send_message.template_id`. */
  id: string;
  name: string;
  /** e.g. `en_US`: a template is sent by name and language. */
  language: string;
  /** Only `APPROVED` ones are listed: WhatsApp refuses to send any other. */
  status: string;
  category: string;
  /** The body's text, placeholders (`{{1}}`) kept. */
  content: string;
  /** Graph's components (HEADER, BODY, FOOTER, BUTTONS) as Graph gave them. */
  components: Record<string, unknown>[];
}

/** The approved templates of one business account, as fetched from Graph at `fetched_at` (ISO time). */
export interface CachedTemplates {
  fetched_at: string;
  templates: MessageTemplate[];
}

/** What the picker previews: the BODY's text, else the header's, else the name (a template has a body). */
export function templateContent(components: readonly Record<string, unknown>[], name: string): string {
  const textOf = (type: string) => {
    const text = components.find((component) => component.type === type)?.text;
    return typeof text === 'string' && text.trim() !== '' ? text : undefined;
  };
  return textOf('BODY') ?? textOf('HEADER') ?? name;
}
