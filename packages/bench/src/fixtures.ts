import { createHash } from 'node:crypto';

/**
 * The same story told to every system: an identity provider issues a token for alice, and
 * each hop is a workload that adds who it is and what it does. Every system carries the
 * same facts per hop, each in its own idiom, so sizes compare fairly.
 */
export const NOW = 1_800_000_000;
export const LIFETIME = 600;
/** When relying parties verify: after every hop's `iat` (hop i is issued at NOW + i), before `exp`. */
export const VERIFY_AT = NOW + 300;
export const ISSUER = 'https://idp.example';
export const SUBJECT = 'alice@example.com';

export const hopIdentity = (i: number): string => `spiffe://example.org/svc-${i}`;

export interface RootFacts {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
  readonly scope: string;
}

export interface HopFacts {
  readonly iss: string;
  readonly iat: number;
  readonly op: string;
  readonly hop: number;
}

export const rootFacts: RootFacts = {
  iss: ISSUER,
  sub: SUBJECT,
  aud: hopIdentity(1),
  iat: NOW,
  exp: NOW + LIFETIME,
  jti: 'r-7f3a9c1e',
  scope: 'orders:read',
};

/** Facts of hop `i` (1-based: the root is hop 0). */
export const hopFacts = (i: number): HopFacts => ({ iss: hopIdentity(i), iat: NOW + i, op: 'read', hop: i });

/** Reproducible 32-byte seeds, so sizes and bytes are the same from run to run. */
export const seed = (label: string): Uint8Array => new Uint8Array(createHash('sha256').update(`nestoken-bench/${label}`).digest());
