/**
 * The secrets of a local start (`npm start`, `docker compose up`), the same as the README's and
 * `.env.example`'s, so `npm run simulate` signs what the gateway checks without any variable set. Known to
 * everyone: a deployment sets its own.
 */
export const LOCAL_SECRETS = {
  JWT_SECRET: 'local-development-secret-change-me',
  WHATSAPP_APP_SECRET: 'local-app-secret-change-me',
  WHATSAPP_VERIFY_TOKEN: 'local-verify-token-change-me',
  WHATSAPP_ACCESS_TOKEN: 'local-access-token',
} as const;
