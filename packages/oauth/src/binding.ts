import { NestokenError, provenHopsOf, sha256, type ProvenHop, type ProvenPath } from '@nestoken/core';
import { base64url } from 'jose';
import type { TxnTokenClaims } from './txn-token.js';

const text = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v === '' || v.length > 64 * 1024) throw new NestokenError('ERR_USAGE', `${what} is non-empty text of at most 65536 characters`);
  return v;
};

/**
 * `tth`: base64url SHA-256 of the Txn-Token's exact ASCII bytes, as received (spec §12.3). No
 * trimming or re-serialization: a Txn-Token altered in any byte, white space included, hashes apart.
 */
export const txnTokenHash = (txnToken: string): string => base64url.encode(sha256(new TextEncoder().encode(text(txnToken, 'a Txn-Token'))));

/** The claims a layer carries to bind the chain to a Txn-Token. */
export const bindingClaims = (txnToken: string, txn: string): { readonly txn: string; readonly tth: string } => ({ txn: text(txn, 'txn'), tth: txnTokenHash(txnToken) });

const mismatch = (message: string, hop?: ProvenHop): NestokenError =>
  new NestokenError('ERR_TXN_TOKEN_MISMATCH', message, hop === undefined ? undefined : { layer: hop.index });

/**
 * Spec §12.3: the root binds the chain to a Txn-Token; only the root's signer (the Txn-Token
 * Service) may rebind it, when it replaces the Txn-Token; the latest binding must hash the
 * Txn-Token presented; and no hop may name another transaction.
 */
export function checkTxnBinding(path: ProvenPath, txnToken: string, claims: TxnTokenClaims): void {
  const hops = provenHopsOf(path, 'checkTxnBinding');
  if (typeof txnToken !== 'string' || typeof claims !== 'object' || claims === null || typeof claims.txn !== 'string') {
    throw new NestokenError('ERR_USAGE', 'checkTxnBinding takes a proven path, the Txn-Token text and its verified claims');
  }
  const root = hops[0]!;
  if (typeof root.claims.tth !== 'string' || typeof root.claims.txn !== 'string') throw mismatch('the chain is bound to no Txn-Token: its root carries no tth and txn', root);
  let binding = root;
  for (const hop of hops) {
    if (hop.claims.tth === undefined) continue;
    if (hop.anonymous || hop.identity !== root.identity) throw mismatch(`hop ${hop.index} (${hop.identity}) rebinds the chain, which only ${root.identity} may`, hop);
    if (hop.claims.txn === undefined) throw mismatch(`hop ${hop.index} binds a Txn-Token without naming its transaction`, hop);
    binding = hop;
  }
  if (binding.claims.tth !== txnTokenHash(txnToken)) throw mismatch(`the chain is bound to another Txn-Token than the one presented (hop ${binding.index})`, binding);
  for (const hop of hops) {
    if (hop.claims.txn !== undefined && hop.claims.txn !== claims.txn) {
      throw new NestokenError('ERR_TXN_MISMATCH', `hop ${hop.index} names transaction ${String(hop.claims.txn).slice(0, 100)}, the Txn-Token ${claims.txn.slice(0, 100)}`, { layer: hop.index });
    }
  }
}
