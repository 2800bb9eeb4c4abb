import { fail } from '../errors.js';

/** A SPIFFE ID split into its trust domain and path (SPIFFE-ID standard §2). */
export interface SpiffeId {
  readonly trustDomain: string;
  /** `/`-led, non-empty for a workload; empty for a trust domain's own ID. */
  readonly path: string;
}

const MAX_SPIFFE_ID = 2048;
const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Parses a SPIFFE ID strictly: lower-case scheme and trust domain, no port, user info, query,
 * fragment or percent-encoding, no empty, `.` or `..` path segment. A parser that accepted
 * more would let two spellings name one workload (spec §5.6).
 */
export function parseSpiffeId(uri: string): SpiffeId {
  if (typeof uri !== 'string' || uri.length > MAX_SPIFFE_ID) fail('ERR_X509_SVID', 'a SPIFFE ID is a string of at most 2048 characters');
  if (!uri.startsWith('spiffe://')) fail('ERR_X509_SVID', `${uri.slice(0, 64)} is not a spiffe:// URI`);
  const rest = uri.slice('spiffe://'.length);
  const slash = rest.indexOf('/');
  const trustDomain = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  if (!TRUST_DOMAIN.test(trustDomain)) fail('ERR_X509_SVID', `the trust domain of ${uri.slice(0, 64)} is not a valid SPIFFE trust domain`);
  if (path !== '' && !path.slice(1).split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) {
    fail('ERR_X509_SVID', `the path of ${uri.slice(0, 64)} is not a valid SPIFFE path`);
  }
  return { trustDomain, path };
}
