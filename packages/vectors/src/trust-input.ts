import { createTrustBundle, loadBundleMap, loadSignerJwks, loadWitIssuers, mergeTrustBundles, NestokenError, type TrustBundle } from '@nestoken/core';

/**
 * A group's `trust` (spec §5.1, test-vectors/README.md): each part is one kind of file, read by
 * its own loader, so a key's role never depends on how the vectors package the bundle.
 */
export interface TrustInput {
  /** A JWK Set of direct layer signers, each naming its identity in `sub`. */
  readonly signers?: unknown;
  /** The trust domain of every signer; absent: each signer belongs to the domain its `sub` names. */
  readonly signersTrustDomain?: string;
  /** SPIFFE bundles by trust domain (a federation bundle map). */
  readonly spiffeBundles?: Readonly<Record<string, unknown>>;
  /** Plain JWK Sets of WIT issuers (the WIMSE form), by trust domain. */
  readonly witIssuers?: Readonly<Record<string, unknown>>;
}

const PARTS = new Set(['signers', 'signersTrustDomain', 'spiffeBundles', 'witIssuers']);

export function loadTrustInput(input: unknown): TrustBundle {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !Object.keys(input).every((k) => PARTS.has(k))) {
    throw new NestokenError('ERR_TRUST_BUNDLE', 'trust is an object of signers, signersTrustDomain, spiffeBundles and witIssuers');
  }
  const t = input as TrustInput;
  const bundles: TrustBundle[] = [createTrustBundle({})];
  if (t.signers !== undefined) {
    bundles.push(loadSignerJwks(t.signers as object, t.signersTrustDomain === undefined ? { trustDomainFromSub: true } : { trustDomain: t.signersTrustDomain }));
  }
  if (t.spiffeBundles !== undefined) bundles.push(loadBundleMap(t.spiffeBundles as Record<string, object>));
  for (const [trustDomain, jwks] of Object.entries(t.witIssuers ?? {})) bundles.push(loadWitIssuers(jwks as object, { trustDomain }));
  return mergeTrustBundles(...bundles);
}
