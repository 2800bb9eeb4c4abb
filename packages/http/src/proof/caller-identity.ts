import { verifyIdentityDocument, type PublicKey, type TrustBundle } from '@nestoken/core';
import { confirmationKeyOf, type ConfirmationKey } from './confirmation-key.js';

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

/** The one call that checks a WIT (core §5.3) and reads the key it confirms. */
export async function callerIdentityOf(wit: string, trust: TrustBundle, at: { now: number; clockSkew: number }): Promise<CallerIdentity> {
  const doc = await verifyIdentityDocument(wit, trust, at);
  return { identity: doc.identity, keyThumbprint: doc.confirmation.thumbprint, confirmation: confirmationKeyOf(wit), expiresAt: doc.expiresAt, ...(doc.key ? { key: doc.key } : {}) };
}
