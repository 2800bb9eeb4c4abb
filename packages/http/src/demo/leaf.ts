import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChainMode } from '@nestoken/core';
import { getNode, graph } from '@nestoken/crate';
import { sendJson } from '../json-response.js';
import { withNestoken, type NestokenRequest } from '../middleware.js';
import type { NestokenContext, VerifiedCrate } from '../verify-request.js';
import { TRADE_PATH, transactionRules } from './transaction-rules.js';
import type { Workload, World } from './world.js';

/** What a leaf proved about its request, sent back up to the client as JSON. */
export interface LeafReport {
  /** The verifier: the last audience of the chain. */
  readonly service: string;
  readonly mode: ChainMode;
  readonly issuer: string;
  readonly hops: ReadonlyArray<{ readonly identity: string; readonly via: string; readonly audienceKey?: string }>;
  readonly caller?: string;
  readonly crate?: CrateSummary;
  /** The Txn-Token the chain is bound to, on the Txn-Token route. */
  readonly txn?: { readonly txn: string; readonly sub: string; readonly scope: string; readonly req_wl: string };
}

export interface CrateSummary {
  readonly root: string;
  readonly boundBy: number;
  readonly bytes: number;
  readonly nodes: number;
  readonly trimmed: readonly string[];
  readonly tokens: ReadonlyArray<{ readonly cid: string; readonly format: string; readonly bucket: string; readonly role?: string; readonly bytes: number }>;
  readonly attestations: ReadonlyArray<{ readonly attester: string; readonly subjects: readonly string[] }>;
  /** The crate as a Mermaid flowchart. */
  readonly graph: string;
}

function summarise(verified: VerifiedCrate): CrateSummary {
  const { crate, report, boundBy } = verified;
  return {
    root: report.root,
    boundBy,
    bytes: report.bytes,
    nodes: report.proven.length,
    trimmed: report.trimmed,
    tokens: report.tokens.map((t) => {
      const node = getNode(crate, t.cid);
      const role = node?.type === 'token' ? node.meta?.role : undefined;
      return {
        cid: t.cid,
        format: t.format,
        bucket: t.buckets.join('/'),
        ...(typeof role === 'string' ? { role } : {}),
        bytes: node?.type === 'token' ? node.bytes.length : 0,
      };
    }),
    attestations: report.attestations.map((a) => ({ attester: a.attester, subjects: a.subjects })),
    graph: graph(crate, 'mermaid'),
  };
}

export function leafReport(me: Workload, context: NestokenContext): LeafReport {
  const { path } = context;
  return {
    service: me.identity,
    mode: path.mode,
    issuer: path.issuer,
    hops: path.hops.map((h) => ({ identity: h.identity, via: h.via, ...(h.audienceKey ? { audienceKey: h.audienceKey } : {}) })),
    ...(context.caller ? { caller: context.caller.identity } : {}),
    ...(context.crate ? { crate: summarise(context.crate) } : {}),
    ...(context.txnToken ? { txn: { txn: context.txnToken.txn, sub: context.txnToken.sub, scope: context.txnToken.scope, req_wl: context.txnToken.req_wl } } : {}),
  };
}

/**
 * bar, and the third party: verify, and say what was proven. Paths under `/trade` take part
 * in a transaction: they require its Txn-Token, bound to the chain, and a path through the gateway.
 */
export function leafService(world: World, me: Workload): (req: IncomingMessage, res: ServerResponse) => void {
  const options = { trust: world.trust, key: me.key, identity: me.identity, modes: ['id', 'anon', 'hybrid'] as ChainMode[], now: world.now };
  const report = (req: NestokenRequest, res: ServerResponse) => sendJson(res, 200, leafReport(me, req.nestoken));
  const plain = withNestoken(options, report);
  const transactional = withNestoken({ ...options, ...transactionRules(world) }, report);
  return (req, res) => (new URL(req.url ?? '/', 'http://leaf').pathname.startsWith(TRADE_PATH) ? transactional : plain)(req, res);
}
