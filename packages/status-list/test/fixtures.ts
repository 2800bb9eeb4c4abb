import { createTrustBundle, extend, issue, signingKeyFromSeed, type LayerFormat, type SigningKey, type Token } from '@nestoken/core';
import { StatusList, signStatusListCwt, signStatusListJwt, type StatusListTokenFormat } from '../src/index.node.js';

export const NOW = 1_800_000_000;
export const LIST_URI = 'https://status.example/lists/1';

const seed = (i: number): Uint8Array => {
  const s = new Uint8Array(32);
  s[0] = i + 1;
  s[31] = 0x57;
  return s;
};

/** keys[0] issues chains, keys[i] signs hop i; `lister` signs status lists. */
export const keys: SigningKey[] = Array.from({ length: 8 }, (_, i) => signingKeyFromSeed(seed(i)));
export const lister = signingKeyFromSeed(seed(100));
export const identity = (i: number): string => (i === 0 ? 'https://idp.example' : `spiffe://example.org/w${i}`);
export const LISTER_IDENTITY = 'https://status.example';
export const trust = createTrustBundle({
  signers: [...keys.map((key, i) => ({ identity: identity(i), key: key.publicKey })), { identity: LISTER_IDENTITY, key: lister.publicKey }],
});

/** An ID-mode chain whose layer i names entry `idx[i]` of the list (no reference where undefined). */
export async function referencedChain(formats: readonly LayerFormat[], idx: ReadonlyArray<number | undefined>, base?: { token: Token; from: number }): Promise<Token> {
  const status = (i: number) => (idx[i] === undefined ? {} : { status: { status_list: { idx: idx[i]!, uri: LIST_URI } } });
  let t: Token;
  let start: number;
  if (base) {
    t = base.token;
    start = base.from;
  } else {
    t = await issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, format: formats[0]!, claims: { iss: identity(0), exp: NOW + 3600, ...status(0) } });
    start = 1;
  }
  for (let i = start; i < formats.length; i++) {
    t = await extend(t, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, format: formats[i]!, claims: { iss: identity(i), ...status(i) } });
  }
  return t;
}

export const verifierOf = (hops: number) => ({ trust, now: NOW, audience: keys[hops]!.publicKey });

/** A signed list of `size` entries with the given statuses. */
export async function signedList(values: Record<number, number>, opts: { bits?: number; size?: number; format?: StatusListTokenFormat; ttl?: number; iat?: number; exp?: number } = {}): Promise<string | Uint8Array> {
  const list = StatusList.create(opts.bits ?? 2, opts.size ?? 64);
  for (const [i, v] of Object.entries(values)) list.set(Number(i), v);
  const init = { list, uri: LIST_URI, key: lister, iat: opts.iat ?? NOW, ttl: opts.ttl ?? 600, ...(opts.exp === undefined ? {} : { exp: opts.exp }) };
  return opts.format === 'cwt' ? signStatusListCwt(init) : signStatusListJwt(init);
}
