import { fail } from '../errors.js';
import { mergeTrustBundles, type TrustBundle } from './bundle.js';
import { loadSpiffeBundle } from './spiffe-bundle.js';

/** A SPIFFE federation map for `loadBundleMap`: trust domain name to that domain's bundle (JSON text, bytes or parsed object). */
export type BundleMapInput = Readonly<Record<string, string | Uint8Array | object>> | ReadonlyMap<string, string | Uint8Array | object>;

/** At most this many trust domains in one federation map. */
export const MAX_TRUST_DOMAINS = 256;

/**
 * SPIFFE federation: a map from trust domain to that domain's bundle (spec §5.1). Each bundle
 * is read for its own domain only, and the results merge under the rules of one bundle.
 */
export function loadBundleMap(map: BundleMapInput): TrustBundle {
  if (typeof map !== 'object' || map === null) fail('ERR_USAGE', 'a bundle map is an object or Map from trust domain to bundle');
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
  if (entries.length > MAX_TRUST_DOMAINS) fail('ERR_LIMIT_EXCEEDED', `a bundle map holds at most ${MAX_TRUST_DOMAINS} trust domains`);
  return mergeTrustBundles(...entries.map(([trustDomain, bundle]) => loadSpiffeBundle(bundle, { trustDomain })));
}
