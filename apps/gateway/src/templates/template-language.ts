import type { CachedTemplates, CustomerType } from '@care-chat/contract';
import type { Redis } from 'ioredis';

export type TemplateLanguage = (
  types: readonly CustomerType[],
  template: { id: string; name: string },
) => Promise<string | undefined>;

/**
 * The language of a template the picker offered, as the template list kept in Redis gives it: the dashboard
 * sends a template's id and name, and WhatsApp wants its exact language code too (`en_US` is not `en`).
 * Looked for in the accounts of `types` (Graph's template ids are unique); undefined when no kept list has
 * it or Redis cannot say, and the worker then sends it in WHATSAPP_TEMPLATE_LANGUAGE.
 */
export function templateLanguage(
  redis: Redis,
  keyOf: (accountId: string) => string,
  accountOf: (type: CustomerType) => string | undefined,
): TemplateLanguage {
  return async (types, { id, name }) => {
    for (const type of types) {
      const account = accountOf(type);
      if (account === undefined) continue;
      let kept: CachedTemplates | undefined;
      try {
        kept = JSON.parse((await redis.get(keyOf(account))) ?? 'null') ?? undefined;
      } catch {
        return undefined;
      }
      const found = kept?.templates?.find((template) => template.id === id) ?? undefined;
      const byName = kept?.templates?.filter((template) => template.name === name) ?? [];
      // A name alone is enough when one language of it exists.
      const match = found ?? (byName.length === 1 ? byName[0] : undefined);
      if (match !== undefined) return match.language;
    }
    return undefined;
  };
}
