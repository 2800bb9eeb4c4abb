import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { VERIFY_AT, hopFacts, rootFacts } from '../fixtures.js';
import { nodeEd25519KeyPair } from '../peers/node-keys.js';
import { SINGLE_VERIFIER, type ChainScenario, type PreparedChain } from '../scenario.js';

/**
 * The honest peer: what a careful engineer would build by hand with node:crypto alone. A flat
 * list of EdDSA JWTs joined by `~`, each hop's JWT carrying in `prv` the SHA-256 of the JWT
 * before it, so the list cannot be reordered, cut in the middle or spliced. No JOSE library:
 * base64url, JSON and one `crypto.verify` per JWT with KeyObjects built beforehand. It proves
 * less than an ID-mode chain (no hop names the key of the next, so nothing binds a hop to the
 * one it handed the token to); it is the cost floor of "signed hops, linked by hashes".
 */
const SEPARATOR = '~';
const b64u = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const digest = (jwt: string): string => createHash('sha256').update(jwt).digest('base64url');

const keyOf = (i: number) => nodeEd25519KeyPair(`jwt-list-key-${i}`);
const kid = (i: number) => `hop-${i}`;

function jwt(i: number, claims: Record<string, unknown>): string {
  const input = `${b64u(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: kid(i) }))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(sign(null, Buffer.from(input), keyOf(i).privateKey))}`;
}

const hop = (i: number, previous: string): string => jwt(i, { ...hopFacts(i), prv: digest(previous) });

function build(hops: number): string {
  const list = [jwt(0, { ...rootFacts })];
  for (let i = 1; i < hops; i++) list.push(hop(i, list[i - 1]!));
  return list.join(SEPARATOR);
}

const publicKeys = new Map<string, KeyObject>();

/** Every JWT: shape, header, key by kid, signature, times; every link: `prv` is the hash of the JWT before. */
function verifyList(token: string, hops: number, now: number): void {
  const list = token.split(SEPARATOR);
  if (list.length !== hops) throw new Error(`list of ${list.length} JWTs, expected ${hops}`);
  let previous: string | undefined;
  for (const [i, item] of list.entries()) {
    const parts = item.split('.');
    if (parts.length !== 3) throw new Error(`JWT ${i} is not three parts`);
    const [h, p, s] = parts as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    if (header.alg !== 'EdDSA') throw new Error(`JWT ${i}: alg ${String(header.alg)}`);
    const key = typeof header.kid === 'string' ? publicKeys.get(header.kid) : undefined;
    if (!key) throw new Error(`JWT ${i}: unknown key`);
    if (!verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) throw new Error(`JWT ${i}: bad signature`);
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iat?: unknown; exp?: unknown; prv?: unknown };
    if (typeof claims.iat !== 'number' || claims.iat > now) throw new Error(`JWT ${i}: iat`);
    if (i === 0) {
      if (typeof claims.exp !== 'number' || now >= claims.exp) throw new Error('root JWT has expired');
    } else if (claims.prv !== digest(previous!)) {
      throw new Error(`JWT ${i} does not follow JWT ${i - 1}`);
    }
    previous = item;
  }
}

export function jwtHashListScenario(): ChainScenario {
  return {
    id: 'jwt-hash-list',
    label: 'hash-linked JWT list (node:crypto)',
    family: 'peer',
    group: 'peers',
    verifiers: SINGLE_VERIFIER,
    note: 'a flat list of EdDSA JWTs, each carrying the SHA-256 of the one before; built and checked with node:crypto alone (KeyObjects ready, verifier knows every key): the best a user could build by hand, without key delegation or audience binding',
    async prepare(hops): Promise<PreparedChain> {
      for (let i = 0; i <= hops; i++) publicKeys.set(kid(i), keyOf(i).publicKey);
      const token = build(hops);
      const last = token.slice(token.lastIndexOf(SEPARATOR) + 1);
      return {
        bytes: Buffer.byteLength(token),
        issue: () => build(hops),
        extend: () => `${token}${SEPARATOR}${hop(hops, last)}`,
        verify: { verify: () => verifyList(token, hops, VERIFY_AT) },
      };
    },
  };
}
