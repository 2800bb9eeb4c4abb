import { NestokenError, type ProvenPath } from '@nestoken/core';
import { checkTxnBinding, TXN_TOKEN_HEADER, verifyTxnToken, type TxnTokenClaims, type TxnTokenVerifyOptions } from '@nestoken/oauth';
import { readHeader, type RequestHeaders } from './headers.js';

/** What a service needs to check the Txn-Token that travels beside the chain (spec §12.5). */
export type RequestTxnTokenOptions = Omit<TxnTokenVerifyOptions, 'now' | 'clockSkew'>;

/**
 * The `Txn-Token` header: one Txn-Token, verified against the service keys and bound to the
 * chain by its root (spec §12.3). Absent when required is ERR_TOKEN_MISSING.
 */
export async function checkRequestTxnToken(request: RequestHeaders, path: ProvenPath, options: RequestTxnTokenOptions, at: { now: number; clockSkew?: number }): Promise<TxnTokenClaims> {
  const maxLength = options.maxLength ?? 8 * 1024;
  const txnToken = readHeader(request, TXN_TOKEN_HEADER, maxLength);
  if (txnToken === undefined || txnToken === '') throw new NestokenError('ERR_TOKEN_MISSING', `no ${TXN_TOKEN_HEADER} header`);
  const claims = await verifyTxnToken(txnToken, { ...options, now: at.now, ...(at.clockSkew !== undefined ? { clockSkew: at.clockSkew } : {}) });
  checkTxnBinding(path, txnToken, claims);
  return claims;
}
