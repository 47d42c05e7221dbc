/** The AsyncAPI 3.0 document of the Socket.IO events, as plain JSON. */
export function asyncApiDocument(): Record<string, unknown>;
/** The document as asyncapi.json holds it. */
export function render(document: Record<string, unknown>): string;
