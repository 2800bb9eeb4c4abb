import type { KeyObject } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { VERIFY_AT, hopFacts, rootFacts } from '../fixtures.js';
import { nodeEd25519KeyPair } from '../peers/node-keys.js';
import { SINGLE_VERIFIER, type ChainScenario, type PreparedChain } from '../scenario.js';

/**
 * The incumbent: nested JWTs with jose. Each hop signs a new EdDSA JWT whose payload holds
 * its own claims and, as a string, the whole JWS it received; so every hop base64url-encodes
 * everything before it and the token grows by about 4/3 per hop. The verifier knows every
 * hop's key (the cheapest case for nested JWT: no key delegation to check).
 */
const ALG = 'EdDSA';

const hopKey = (i: number) => ({ kid: `hop-${i}`, ...nodeEd25519KeyPair(`jwt-key-${i}`) });

function rootPayload(): JWTPayload {
  const { scope, ...registered } = rootFacts;
  return { ...registered, scope };
}

const sign = (payload: JWTPayload, i: number): Promise<string> =>
  new SignJWT(payload).setProtectedHeader({ alg: ALG, kid: hopKey(i).kid, typ: 'JWT' }).sign(hopKey(i).privateKey);

/** Hop i's JWT: its facts plus the previous token, nested in `inner`. */
const wrap = (inner: string, i: number): Promise<string> => sign({ ...hopFacts(i), inner }, i);

async function build(hops: number): Promise<string> {
  let token = await sign(rootPayload(), 0);
  for (let i = 1; i < hops; i++) token = await wrap(token, i);
  return token;
}

const publicKeys = new Map<string, KeyObject>();

/** Outermost first: verify, take `inner`, repeat until the root; every layer's claims are checked (times, no alg confusion). */
async function verifyNested(token: string, hops: number, now: Date): Promise<void> {
  let current: string | undefined = token;
  let depth = 0;
  while (current !== undefined) {
    const { kid } = decodeProtectedHeader(current);
    const key = kid === undefined ? undefined : publicKeys.get(kid);
    if (!key) throw new Error(`unknown key ${String(kid)}`);
    const { payload }: { payload: JWTPayload } = await jwtVerify(current, key, { algorithms: [ALG], currentDate: now });
    depth++;
    current = typeof payload.inner === 'string' ? payload.inner : undefined;
  }
  if (depth !== hops) throw new Error(`verified ${depth} layers, expected ${hops}`);
}

export function nestedJwtScenario(): ChainScenario {
  return {
    id: 'nested-jwt',
    label: 'nested JWT (jose, EdDSA)',
    family: 'peer',
    group: 'peers',
    limit: { maxHops: 32, reason: 'every hop base64url-encodes the whole token before it (×4/3 per hop): 32 hops is about 8 MB, 64 hops would be about 8×10^10 bytes' },
    verifiers: SINGLE_VERIFIER,
    note: 'each hop wraps the previous JWS in the payload of a new EdDSA JWT; verifier knows all keys; grows ~4/3 per hop',
    async prepare(hops): Promise<PreparedChain> {
      for (let i = 0; i <= hops; i++) publicKeys.set(hopKey(i).kid, hopKey(i).publicKey);
      const token = await build(hops);
      const now = new Date(VERIFY_AT * 1000);
      return {
        bytes: Buffer.byteLength(token),
        issue: () => build(hops),
        extend: () => wrap(token, hops),
        verify: { verify: () => verifyNested(token, hops, now) },
      };
    },
  };
}
