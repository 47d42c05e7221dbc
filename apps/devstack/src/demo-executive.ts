/** The executive `npm start` creates (its password set again at every start). */
export const DEMO_EXECUTIVE = {
  username: 'demo',
  name: 'Demo Executive',
  agentNumber: '919800000099',
} as const;

/** An access token of the demo executive, from the tier's own login, for a console URL that opens logged in. */
export async function demoToken(gatewayUrl: string, password: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: DEMO_EXECUTIVE.username, password, login_from: 'dev-stack' }),
  });
  const body = (await response.json()) as { accessToken?: string; message?: string };
  if (body.accessToken === undefined)
    throw new Error(`the demo login was answered ${response.status}: ${body.message}`);
  return body.accessToken;
}
