import { fail } from '../errors.js';

/**
 * The one scoping rule of nestoken (spec §5.4): an identity belongs to the trust domain named by
 * the authority component of its URI. Only `spiffe://`, `wimse://` and `https://` identities
 * name one; the authority is a lower-case host name (letters, digits, `.`, `-`, `_`), without
 * user information or port, as a SPIFFE trust domain is. Everything else belongs to no trust
 * domain, so no signer or authority can vouch for it.
 */
// The path: visible ASCII without query (`?`) or fragment (`#`), so an identity is one printable line.
const IDENTITY = /^(spiffe|wimse|https):\/\/([a-z0-9._-]+)(\/[\x21\x22\x24-\x3e\x40-\x7e]*)?$/;
const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
/** SPIFFE IDs are at most 2048 bytes; nothing longer is an identity. */
export const MAX_IDENTITY_LENGTH = 2048;
export const MAX_TRUST_DOMAIN_LENGTH = 255;

export type IdentityScheme = 'spiffe' | 'wimse' | 'https';

export interface ScopedIdentity {
  readonly scheme: IdentityScheme;
  readonly trustDomain: string;
}

/** The scheme and trust domain of an identity, or undefined when it names none. */
export function scopeOf(identity: unknown): ScopedIdentity | undefined {
  if (typeof identity !== 'string' || identity.length > MAX_IDENTITY_LENGTH) return undefined;
  const m = IDENTITY.exec(identity);
  if (!m || m[2]!.length > MAX_TRUST_DOMAIN_LENGTH || /^\.|\.$|\.\./.test(m[2]!)) return undefined;
  return { scheme: m[1] as IdentityScheme, trustDomain: m[2]! };
}

/** The trust domain of a `spiffe://`, `wimse://` or `https://` identity, or `undefined` when it is not a well-formed identity. */
export const trustDomainOf = (identity: unknown): string | undefined => scopeOf(identity)?.trustDomain;

/** A trust domain name as a caller or a file gives it (`example.org`, never `spiffe://example.org`). */
export function checkTrustDomainName(td: unknown, what: string): string {
  if (typeof td !== 'string' || td.length === 0 || td.length > MAX_TRUST_DOMAIN_LENGTH || !TRUST_DOMAIN.test(td) || /^\.|\.$|\.\./.test(td)) {
    fail('ERR_USAGE', `${what} must be a trust domain name such as example.org`);
  }
  return td;
}

/** Every scoped check goes through here: an identity outside the trust domain is ERR_TRUST_DOMAIN. */
export function assertInTrustDomain(identity: string, trustDomain: string, what: string): void {
  const td = trustDomainOf(identity);
  if (td === undefined) fail('ERR_TRUST_DOMAIN', `${what} ${JSON.stringify(identity.slice(0, 80))} names no trust domain (a spiffe://, wimse:// or https:// URI)`);
  if (td !== trustDomain) fail('ERR_TRUST_DOMAIN', `${what} ${identity} is outside the trust domain ${trustDomain || '(none)'}`);
}
