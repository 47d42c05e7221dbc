/**
 * Every Redis name the package uses, from one prefix. The servers and emitters of one deployment must share
 * it; several deployments can share a Redis under different prefixes.
 */
export function realtimeKeys(prefix: string) {
  return {
    /** Every broadcast, in order: delivered live and replayed to recovering sockets. */
    stream: `${prefix}:stream`,
    /** A recoverable socket session, by its private id. */
    session: (pid: string) => `${prefix}:session:${pid}`,
    /** A session's rooms and data, kept past its recovery window for a client that comes back later. */
    former: (pid: string) => `${prefix}:former:${pid}`,
    /** Marks a group of broadcasts as published, so that publishing it again does nothing. */
    published: (id: string) => `${prefix}:published:${id}`,
    /** Requests between the servers of a namespace (pub/sub: they make no sense later). */
    requests: (nsp: string) => `${prefix}#${nsp}#`,
    /** Answers to one server's requests. */
    responses: (nsp: string, uid: string) => `${prefix}#${nsp}#${uid}#`,
  } as const;
}

export type RealtimeKeys = ReturnType<typeof realtimeKeys>;
