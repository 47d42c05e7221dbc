import type { IncomingMessage } from 'node:http';

/** What a route answers; the server writes it, after any fault programmed for the route. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: Buffer | object;
}

export interface FakeRequest {
  method: string;
  url: URL;
  /** The pattern's capture groups. */
  params: string[];
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type RouteHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface Route {
  /** What tests name when they program a fault or count requests. */
  name: string;
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

/** The fake's routes, matched in the order added against the path (the query string aside). */
export class Router {
  private readonly routes: Route[] = [];

  add(route: Route): this {
    this.routes.push(route);
    return this;
  }

  match(method: string, path: string): { route: Route; params: string[] } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (found !== null) return { route, params: found.slice(1).map((group) => group ?? '') };
    }
    return undefined;
  }
}
