import { BoundedCache, NestokenError, type ProvenPath, type RevocationCheck } from '@nestoken/core';
import { fromCompact, verifyCrate, type Crate, type CrateLimits, type CrateReport } from '@nestoken/crate';
import { boundCrate } from './binding.js';
import { SharedResults } from './shared-results.js';
import type { NestokenVerifierOptions } from './verify-request.js';

/** The crate of a request, verified and bound to its token. */
export interface VerifiedCrate {
  /** Shared by requests that carry the same `Nestoken-Crate` value: read it, never change it. */
  readonly crate: Crate;
  readonly report: CrateReport;
  /** Index of the hop whose layer names this crate's root. */
  readonly boundBy: number;
}

/**
 * Decoded crates by their header text, per limits object: the compact form is one crate
 * exactly, and a gateway's crate rides unchanged on every request of a flow. verifyCrate
 * hashes every node again, so a decoded crate proves nothing by being cached.
 */
const decodedCrates = new WeakMap<object, BoundedCache<string, Crate>>();
const NO_CRATE_LIMITS = {};
function decodedCrate(text: string, limits: Partial<CrateLimits> | undefined): Crate {
  const key = limits ?? NO_CRATE_LIMITS;
  let cache = decodedCrates.get(key);
  if (!cache) decodedCrates.set(key, (cache = new BoundedCache(256)));
  return cache.get(text) ?? cache.set(text, fromCompact(text, limits));
}

/**
 * Crates verified for a request, by (second, trust, token, crate text). Without a revocation
 * hook, verifyCrate is a function of exactly these and the verifier options (the path is the
 * token's, verified under the same options at the same second), so an entry is the answer a
 * new verification would give. With a revocation hook every request asks the hook again.
 */
const verifiedCrates = new SharedResults<VerifiedCrate>(64);

/**
 * The request's `Nestoken-Crate` (spec §11.4): absent (refused only under `requireCrate` when
 * the chain names one), or the crate the latest naming hop names, verified with its
 * attestations bound to this chain.
 */
export async function requestCrate(
  text: string | undefined,
  path: ProvenPath,
  options: NestokenVerifierOptions,
  isRevoked: RevocationCheck | undefined,
  now: number,
): Promise<VerifiedCrate | undefined> {
  const bound = boundCrate(path);
  if (text === undefined) {
    if (bound && options.requireCrate) throw new NestokenError('ERR_CRATE_MISSING', `the chain names crate ${bound.root} but none was sent`);
    return undefined;
  }
  if (!bound) throw new NestokenError('ERR_CRATE_UNBOUND', 'a crate was sent but no hop of the chain names it');
  if (isRevoked) return checkedCrate(text, path, options, isRevoked, now, bound);
  // The path stands for (second, trust, token): without a revocation hook it is the one object
  // shared by every request of that second with that token (verify-request.ts), so an entry
  // stamped with it serves exactly those requests.
  return verifiedCrates.get(options, text, path, () => checkedCrate(text, path, options, undefined, now, bound));
}

async function checkedCrate(
  text: string,
  path: ProvenPath,
  options: NestokenVerifierOptions,
  isRevoked: RevocationCheck | undefined,
  now: number,
  bound: { readonly root: string; readonly hop: number },
): Promise<VerifiedCrate> {
  const crate = decodedCrate(text, options.crateLimits);
  // Trimming keeps the root CID, so a trimmed crate still matches; any added or changed node does not.
  if (crate.root.toString() !== bound.root) {
    throw new NestokenError('ERR_CRATE_UNBOUND', `the crate's root is ${crate.root.toString()}, the chain names ${bound.root}`, { layer: bound.hop });
  }
  const report = await verifyCrate(crate, {
    trust: options.trust,
    now,
    chain: path,
    ...(options.clockSkew !== undefined ? { clockSkew: options.clockSkew } : {}),
    ...(options.attesters ? { attesters: options.attesters } : {}),
    ...(options.crateLimits ? { limits: options.crateLimits } : {}),
    tokens: { ...(isRevoked ? { isRevoked } : {}), ...(options.limits ? { limits: options.limits } : {}) },
  });
  return { crate, report, boundBy: bound.hop };
}
