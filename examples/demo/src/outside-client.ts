import { CALL_TIMEOUT_MS } from './serve.js';
import { CLIENT_ID } from './world.js';
import { CLIENT_SECRET } from './issuer.js';

/** What came back: the status and the JSON body (or the text, when it was not JSON). */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export async function send(url: string, method: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, { method, headers, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

/** The outside client logs in with client credentials and gets an access token for the API. */
export async function getAccessToken(issuerUrl: string): Promise<string> {
  const answer = await fetch(`${issuerUrl}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  if (!answer.ok) throw new Error(`the issuer refused the client: ${answer.status}`);
  return ((await answer.json()) as { access_token: string }).access_token;
}
