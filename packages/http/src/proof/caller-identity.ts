import { verifyIdentityDocument, type ConfirmationKey, type ProvenIdentity, type PublicKey, type TrustBundle } from '@nestoken/core';

/** What a verified Workload Identity Token says about the caller. */
export interface CallerIdentity {
  readonly identity: string;
  /** RFC 7638 thumbprint of the confirmed key: the name layers use for it. */
  readonly keyThumbprint: string;
  readonly confirmation: ConfirmationKey;
  readonly expiresAt: number;
  /** The confirmed key, when it is of a type layers can be signed with (Ed25519, P-256). */
  readonly key?: PublicKey;
}

/**
 * Core hands back the same frozen result for a WIT it has already verified (it then checks
 * only its times again), so what is read from that WIT here is read once too.
 */
const callers = new WeakMap<ProvenIdentity, CallerIdentity>();

/** The one call that checks a WIT (core §5.3) and reads the key it confirms. */
export async function callerIdentityOf(wit: string, trust: TrustBundle, at: { now: number; clockSkew: number }): Promise<CallerIdentity> {
  const doc = await verifyIdentityDocument(wit, trust, at);
  let caller = callers.get(doc);
  if (!caller) {
    caller = Object.freeze({ identity: doc.identity, keyThumbprint: doc.confirmation.thumbprint, confirmation: doc.confirmation, expiresAt: doc.expiresAt, ...(doc.key ? { key: doc.key } : {}) });
    callers.set(doc, caller);
  }
  return caller;
}
