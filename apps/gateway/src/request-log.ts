import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Per-request lines at debug, not info: the webhook and health paths are hot. Errors keep Fastify's
 * default levels. URLs are redacted by the logger's `req` serializer (tokens travel in query strings).
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null, _request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ err: error, statusCode: reply.statusCode }, 'request errored');
    else reply.log.debug({ statusCode: reply.statusCode, responseTime: reply.elapsedTime }, 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'route not found');
  }
}
