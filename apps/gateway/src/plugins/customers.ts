import { nestsDeeperThan } from '@care-chat/contract';
import { readContextHistory, readRides, writeContextHistory, writeCustomerDetails, writeRides } from '@care-chat/store';
import type { FastifyInstance } from 'fastify';
import { executiveOf, requireExecutive } from '../auth/require-executive.js';
import { requireServiceToken } from '../auth/require-service.js';

/** What other systems send is theirs to shape, within bounds: a body, a list, a nesting depth. */
const BODY_LIMIT = 256 * 1024;
const MAX_ITEMS = 500;
const MAX_DEPTH = 8;

const text = { type: 'string', maxLength: 1000 } as const;
const identifier = { type: ['string', 'integer'] } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const objects = { type: 'array', items: anyObject } as const;

const customerParams = {
  type: 'object',
  required: ['customer'],
  properties: { customer: { type: 'string', pattern: '^\\d{1,32}$' } },
} as const;

/** Anything an executive's dashboard might ask with; a number no record has reads as empty. */
const readParams = {
  type: 'object',
  required: ['customer'],
  properties: { customer: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/** A card of the Context tab: every key and value of `context` is shown, so they are plain values. */
const contextItem = {
  type: 'object',
  required: ['context'],
  properties: {
    id: identifier,
    status: text,
    createdAt: text,
    chatCount: { type: 'integer', minimum: 0 },
    context: {
      type: 'object',
      maxProperties: 100,
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
    },
  },
} as const;

/** A ride of the Rides tab: only `status: 'upcoming'` ones are shown. */
const ride = {
  type: 'object',
  required: ['id', 'status'],
  properties: { id: identifier, status: text, type: text, route: text, date: text },
} as const;

const search = {
  type: 'object',
  required: ['from', 'to'],
  properties: { from: text, to: text, date: text },
} as const;

const bodies = {
  details: { ...anyObject, maxProperties: 200 },
  contextHistory: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', maxItems: MAX_ITEMS, items: contextItem } },
  },
  rides: {
    type: 'object',
    required: ['rides', 'searchHistory'],
    properties: {
      rides: { type: 'array', maxItems: MAX_ITEMS, items: ride },
      searchHistory: { type: 'array', maxItems: MAX_ITEMS, items: search },
    },
  },
} as const;

const written = {
  200: { type: 'object', required: ['status'], properties: { status: { type: 'integer' } } },
} as const;

type Item = Record<string, unknown>;
type Put<Body> = { Params: { customer: string }; Body: Body };

/**
 * What other company systems know of a customer: they write it with a service token (`PUT
 * /api/customers/{customer}/…`, each call replacing what it names), and executives read it with the
 * customer's chat (`GET /api/chats/{customer}/…`), only for customers with a chat of a type they may see.
 * Anyone else's number reads as one nothing is known of, so numbers cannot be probed. Nothing is invented:
 * what was not written reads as empty.
 */
export default async function customers(app: FastifyInstance) {
  const { serviceTokens } = app.config;
  const db = app.pg;

  if (serviceTokens !== undefined) {
    await app.register(async (services) => {
      requireServiceToken(services, serviceTokens);
      services.addHook('preValidation', async (request, reply) => {
        if (nestsDeeperThan(request.body, MAX_DEPTH)) {
          return reply.code(400).send({
            status: 0,
            error: 'too_deep',
            message: `The body nests more than ${MAX_DEPTH} levels deep`,
          });
        }
      });
      const options = (body: object) => ({
        bodyLimit: BODY_LIMIT,
        schema: { params: customerParams, body, response: written },
      });
      services.put<Put<Item>>('/api/customers/:customer/details', options(bodies.details), async (request) => {
        await writeCustomerDetails(db, request.params.customer, request.body);
        return { status: 1 };
      });
      services.put<Put<{ items: Item[] }>>(
        '/api/customers/:customer/context-history',
        options(bodies.contextHistory),
        async (request) => {
          await writeContextHistory(db, request.params.customer, request.body.items);
          return { status: 1 };
        },
      );
      services.put<Put<{ rides: Item[]; searchHistory: Item[] }>>(
        '/api/customers/:customer/rides',
        options(bodies.rides),
        async (request) => {
          await writeRides(db, request.params.customer, request.body);
          return { status: 1 };
        },
      );
    });
  }

  await app.register(async (executives) => {
    requireExecutive(executives);
    executives.get<{ Params: { customer: string } }>(
      '/api/chats/:customer/context-history',
      {
        schema: {
          params: readParams,
          response: {
            200: {
              type: 'object',
              required: ['status', 'items'],
              properties: { status: { type: 'integer' }, items: objects },
            },
          },
        },
      },
      async (request) => ({
        status: 1,
        items: await readContextHistory(db, request.params.customer, executiveOf(request).customerTypes),
      }),
    );
    executives.get<{ Params: { customer: string } }>(
      '/api/chats/:customer/rides',
      {
        schema: {
          params: readParams,
          response: {
            200: {
              type: 'object',
              required: ['status', 'rides', 'searchHistory'],
              properties: { status: { type: 'integer' }, rides: objects, searchHistory: objects },
            },
          },
        },
      },
      async (request) => ({
        status: 1,
        ...(await readRides(db, request.params.customer, executiveOf(request).customerTypes)),
      }),
    );
  });
}
