import { concat, fail } from '@nestoken/core';
import { DEFAULT_STATUS_LIST_LIMITS } from './limits.js';
import { STATUS_LIST_CWT_TYP, STATUS_LIST_JWT_TYP } from './status-list-token.js';
import type { StatusListFetch } from './status-source.js';

type FetchLike = (url: string, init: { headers: Record<string, string>; redirect: 'follow' | 'error' }) => Promise<Response>;

export interface HttpStatusListFetchOptions {
  /** Bytes read at most from a response body; default the token bound (2 MiB). */
  readonly maxBytes?: number;
  /** Which form to ask for first; both are accepted. Default `jwt`. */
  readonly prefer?: 'jwt' | 'cwt';
}

/**
 * The draft's HTTP retrieval (its §8.1-8.2) over any WHATWG `fetch` (browsers, Node, workers):
 * GET with content negotiation, a 2xx status, a status list media type, a bounded body. A CWT
 * comes back as bytes, a JWT as text.
 */
export function httpStatusListFetch(fetchImpl: FetchLike = globalThis.fetch as FetchLike, options: HttpStatusListFetchOptions = {}): StatusListFetch {
  const maxBytes = options.maxBytes ?? DEFAULT_STATUS_LIST_LIMITS.maxTokenBytes;
  const jwt = `application/${STATUS_LIST_JWT_TYP}`;
  const accept = options.prefer === 'cwt' ? `${STATUS_LIST_CWT_TYP}, ${jwt};q=0.9` : `${jwt}, ${STATUS_LIST_CWT_TYP};q=0.9`;
  return async (uri) => {
    const response = await fetchImpl(uri, { headers: { accept }, redirect: 'follow' });
    if (response.status < 200 || response.status > 299) fail('ERR_STATUS_UNAVAILABLE', `${uri} answered ${response.status}`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== jwt && type !== STATUS_LIST_CWT_TYP) fail('ERR_STATUS_UNAVAILABLE', `${uri} answered with ${type || 'no'} media type`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > maxBytes) fail('ERR_INPUT_TOO_LARGE', `${uri} sends ${declared} bytes, above ${maxBytes}`);
    const body = await readBounded(response, maxBytes);
    return type === STATUS_LIST_CWT_TYP ? body : new TextDecoder().decode(body);
  };
}

async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      fail('ERR_INPUT_TOO_LARGE', `the status list response is above ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return concat(...chunks);
}
