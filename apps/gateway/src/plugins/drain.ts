import fp from 'fastify-plugin';

/** Set once on SIGTERM: readiness answers 503 and new Socket.IO sessions are refused. */
export class DrainState {
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  start(): void {
    this.#draining = true;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    drain: DrainState;
  }
}

export default fp(
  async (app) => {
    app.decorate('drain', new DrainState());
  },
  { name: 'drain', fastify: '5.x' },
);
