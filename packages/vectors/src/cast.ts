import { exportPrivateJwk, exportPublicJwk, witIssuerJwks, type PrivateJwk, type PublicJwk, type SigningKey } from '@nestoken/core';
import type { TrustInput } from './trust-input.js';
import type { Seeded } from './seeded.js';

/** The verification time of every vector, unless a case moves it on purpose: 2026-01-01T00:00:00Z. */
export const NOW = 1_767_225_600;
export const HOUR = 3600;

const NAMED: Record<string, string> = {
  idp: 'https://idp.example',
  gateway: 'spiffe://example.org/gateway',
  foo: 'spiffe://example.org/foo',
  bar: 'spiffe://example.org/bar',
  baz: 'spiffe://example.org/baz',
  verifier: 'spiffe://example.org/verifier',
};

/** Roles in chain order: the issuer, then the hops; `hops(n)` are the signers of an n-layer chain plus its receiver. */
export const ROSTER = ['idp', 'gateway', 'foo', 'bar', 'baz', ...Array.from({ length: 60 }, (_, i) => `w${i + 5}`)];
export const hops = (n: number): string[] => ROSTER.slice(0, n + 1);

/** Keys and identities of the roles, all derived from the seed. */
export class Cast {
  constructor(readonly seeded: Seeded) {}

  /** Roles named `ec-…` hold ES256 (P-256) keys; every other role an Ed25519 key. */
  key(role: string): SigningKey {
    return this.seeded.key(role, role.startsWith('ec-') ? 'ES256' : 'Ed25519');
  }

  identity(role: string): string {
    return NAMED[role] ?? `spiffe://example.org/${role}`;
  }

  kid(role: string): string {
    return this.key(role).publicKey.kid;
  }

  publicJwk(role: string): PublicJwk {
    return exportPublicJwk(this.key(role));
  }

  privateJwk(role: string): PrivateJwk {
    return exportPrivateJwk(this.key(role));
  }

  /** A trust-bundle entry: the key and the identity it is trusted for (`sub`, spec §5.1). */
  signer(role: string): PublicJwk {
    return exportPublicJwk(this.key(role), { sub: this.identity(role) });
  }

  /** The verifier's trust (spec §5.1): these roles as direct signers, and WIT issuers of example.org when given. */
  trust(roles: readonly string[], witIssuers: readonly string[] = []): TrustInput {
    return {
      signers: { keys: roles.map((r) => this.signer(r)) },
      ...(witIssuers.length > 0 ? { witIssuers: { 'example.org': witIssuerJwks(...witIssuers.map((r) => this.key(r))) } } : {}),
    };
  }

  publicKeys(roles: readonly string[]): Record<string, PublicJwk> {
    return Object.fromEntries(roles.map((r) => [r, this.publicJwk(r)]));
  }

  privateKeys(roles: readonly string[]): Record<string, PrivateJwk> {
    return Object.fromEntries(roles.map((r) => [r, this.privateJwk(r)]));
  }
}
