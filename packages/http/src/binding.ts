import { NestokenError, type JsonValue, type ProvenHop, type ProvenPath } from '@nestoken/core';

/**
 * What a hop written by @nestoken/http says in its layer's `data`, beside the caller's own
 * members: the request it was made for (`http`) and the crate it forwarded (`crate`, a root
 * CID). Both are signed by the hop, so neither can be moved to another request or crate.
 */
export const REQUEST_MEMBER = 'http';
/** The claim member that binds a layer to the request's crate. */
export const CRATE_MEMBER = 'crate';

/** The request a layer is bound to: method, authority and path. */
export interface RequestTarget {
  readonly method: string;
  /** The path of the request target, without query or fragment. */
  readonly path: string;
}

type DataObject = { readonly [member: string]: JsonValue };

const isObject = (v: unknown): v is DataObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The target a server sees: the raw request path (origin form, or what follows the authority of an absolute form). Never throws. */
export function serverTarget(method: string | undefined, url: string | undefined): RequestTarget {
  const raw = url ?? '/';
  const absolute = /^https?:\/\/[^/?#]*([^?#]*)/i.exec(raw);
  const path = absolute ? absolute[1] || '/' : raw.split(/[?#]/, 1)[0]!;
  return { method: (method ?? 'GET').toUpperCase(), path };
}

/** The target a client sends: fetch writes the WHATWG-normalised path, which is what the server reads. */
export function clientTarget(method: string | undefined, url: string | URL): RequestTarget {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw new NestokenError('ERR_USAGE', 'the URL to call is not an absolute URL');
  }
  return { method: (method ?? 'GET').toUpperCase(), path };
}

/** The `data` of a new hop: the caller's members plus ours. */
export function hopData(own: JsonValue | undefined, target: RequestTarget, crateRoot: string | undefined): JsonValue {
  if (own !== undefined && !isObject(own)) throw new NestokenError('ERR_USAGE', 'claims.data must be an object: @nestoken/http adds members to it');
  for (const reserved of [REQUEST_MEMBER, CRATE_MEMBER]) {
    if (own && reserved in own) throw new NestokenError('ERR_USAGE', `claims.data.${reserved} is written by @nestoken/http`);
  }
  return { ...own, [REQUEST_MEMBER]: { method: target.method, path: target.path }, ...(crateRoot ? { [CRATE_MEMBER]: crateRoot } : {}) };
}

const dataOf = (hop: ProvenHop): DataObject | undefined => (isObject(hop.claims.data) ? hop.claims.data : undefined);

/**
 * The last hop must have been made for this very request: a token lifted from one route
 * cannot be replayed on another route of the same service.
 */
export function checkRequestBinding(path: ProvenPath, target: RequestTarget, required: boolean): void {
  const last = path.hops[path.hops.length - 1]!;
  const bound = dataOf(last)?.[REQUEST_MEMBER];
  if (bound === undefined) {
    if (required) throw new NestokenError('ERR_CLAIMS_INVALID', 'the last layer does not name the request it was made for', { layer: last.index });
    return;
  }
  if (!isObject(bound) || typeof bound.method !== 'string' || typeof bound.path !== 'string') {
    throw new NestokenError('ERR_CLAIMS_INVALID', `data.${REQUEST_MEMBER} must be {method, path}`, { layer: last.index });
  }
  if (bound.method !== target.method || bound.path !== target.path) {
    throw new NestokenError('ERR_REQUEST_MISMATCH', `the token was made for ${bound.method} ${bound.path.slice(0, 200)}, not ${target.method} ${target.path.slice(0, 200)}`, { layer: last.index });
  }
}

/** The crate root named by the latest hop that names one: the crate state the chain vouches for. */
export function boundCrate(path: ProvenPath): { readonly root: string; readonly hop: number } | undefined {
  for (let i = path.hops.length - 1; i >= 0; i--) {
    const named = dataOf(path.hops[i]!)?.[CRATE_MEMBER];
    if (named === undefined) continue;
    if (typeof named !== 'string') throw new NestokenError('ERR_CLAIMS_INVALID', `data.${CRATE_MEMBER} must be a CID string`, { layer: i });
    return { root: named, hop: i };
  }
  return undefined;
}
