import {
  isMediaId,
  MEDIA_LINK_GRANULARITY_SECONDS,
  MEDIA_LINK_LIFETIME_SECONDS,
  type Message,
  mediaPath,
  type WhatsAppMedia,
} from '@care-chat/contract';
import { env, UrlSigner } from '@care-chat/runtime';

/** The link a browser loads a media id from, made when the message is; null where no links are made. */
export type MediaUrl = (mediaId: string) => string | null;

export const NO_MEDIA_URL: MediaUrl = () => null;

/**
 * What makes media links, read by the gateway (history answers, and the route that serves them) and by the
 * worker (`new_message`) alike: the gateway's public origin and the secret they are signed with. Both or
 * neither: without them messages carry no link and the dashboard downloads media with its token instead.
 */
export const MEDIA_LINK_VARIABLES = { PUBLIC_URL: env.origin(), MEDIA_URL_SECRET: env.secret() };

export function mediaLinkProblems(values: { PUBLIC_URL: string | undefined; MEDIA_URL_SECRET: string | undefined }) {
  return (values.PUBLIC_URL === undefined) === (values.MEDIA_URL_SECRET === undefined)
    ? []
    : ['PUBLIC_URL and MEDIA_URL_SECRET: set both (signed media links) or neither'];
}

export function mediaSignerOf(values: {
  PUBLIC_URL: string | undefined;
  MEDIA_URL_SECRET: string | undefined;
}): UrlSigner | undefined {
  const { PUBLIC_URL: origin, MEDIA_URL_SECRET: secret } = values;
  if (origin === undefined || secret === undefined) return undefined;
  return new UrlSigner({
    origin,
    secret,
    lifetimeSeconds: MEDIA_LINK_LIFETIME_SECONDS,
    granularitySeconds: MEDIA_LINK_GRANULARITY_SECONDS,
  });
}

/** Links signed by `signer`, for ids WhatsApp could have made (a webhook's other ids get none). */
export const signedMediaUrl =
  (signer: UrlSigner | undefined): MediaUrl =>
  (mediaId) =>
    signer !== undefined && isMediaId(mediaId) ? signer.url(mediaPath(mediaId)) : null;

/**
 * A message's `mediaUrl` and `media_url`, one link under both names: the media WhatsApp holds gets a link
 * made now (links expire, so a stored one would not do); a message without media keeps what is stored, null.
 */
export function mediaLinks(
  media: WhatsAppMedia | null,
  stored: string | null,
  mediaUrl: MediaUrl,
): Pick<Message, 'mediaUrl' | 'media_url'> {
  const url = media?.id === undefined ? stored : mediaUrl(media.id);
  return { mediaUrl: url, media_url: url };
}
