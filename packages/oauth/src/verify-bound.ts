import { verify, type ProvenPath, type TokenInput, type VerifyOptions } from '@nestoken/core';
import { checkTxnBinding } from './binding.js';
import { checkOptions, isPlainObject } from './options.js';
import { verifyTxnToken, type TxnTokenClaims, type TxnTokenVerifyOptions } from './txn-token.js';

export interface TxnBoundVerifyOptions {
  /** How the chain is verified (core `verify`). */
  readonly chain: VerifyOptions;
  /** How the Txn-Token is verified; `now` and `clockSkew` default to the chain's. */
  readonly txnToken: TxnTokenVerifyOptions;
}

export interface TxnBoundPath {
  readonly path: ProvenPath;
  /** The verified Txn-Token's claims, beside the proven path. */
  readonly txnToken: TxnTokenClaims;
}

/** Verifies the Txn-Token, then the chain, then that the chain is bound to that Txn-Token (spec §12.3). */
export async function verifyTxnBound(chain: TokenInput, txnToken: string, options: TxnBoundVerifyOptions): Promise<TxnBoundPath> {
  checkOptions(options, 'verifyTxnBound', { chain: isPlainObject, txnToken: isPlainObject }, ['chain', 'txnToken']);
  const timing = {
    ...(options?.chain?.now !== undefined ? { now: options.chain.now } : {}),
    ...(options?.chain?.clockSkew !== undefined ? { clockSkew: options.chain.clockSkew } : {}),
  };
  const claims = await verifyTxnToken(txnToken, { ...timing, ...options?.txnToken });
  const path = await verify(chain, options.chain);
  checkTxnBinding(path, txnToken, claims);
  return { path, txnToken: claims };
}
