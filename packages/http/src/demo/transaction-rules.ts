import type { NestokenVerifierOptions } from '../verify-request.js';
import { txnTokenKeys } from './txn-token-service.js';
import { TRUST_DOMAIN, type World } from './world.js';

/** The part of bar's API that acts within a transaction. */
export const TRADE_PATH = '/trade';

/** What bar requires on it: the Txn-Token, bound to the chain, and the gateway on the path. */
export const transactionRules = (world: World): Pick<NestokenVerifierOptions, 'txnToken' | 'pathPolicy'> => ({
  txnToken: { keys: txnTokenKeys(world), trustDomain: TRUST_DOMAIN },
  pathPolicy: { mustPassThrough: [world.workloads.gateway.identity] },
});
