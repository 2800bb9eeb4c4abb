import { createTrustBundle, encodeToken, issue, signingKeyFromSeed, type SigningKey } from '@nestoken/core';
import fc from 'fast-check';
import { CrateBuilder, type Crate, type PlainMap, type TokenFormat, type TokenInput } from '../src/index.js';

export const NOW = 1_800_000_000;

const key = (byte: number): SigningKey => signingKeyFromSeed(new Uint8Array(32).fill(byte));
export const attesters = [key(1), key(2)] as const;
export const outsider = key(9);
export const trust = createTrustBundle({
  signers: [
    { identity: 'spiffe://example.org/gateway', key: attesters[0].publicKey },
    { identity: 'spiffe://example.org/foo', key: attesters[1].publicKey },
  ],
});

/** Real ID-mode nestokens, CBOR and text form, so verify has something to check. */
export const nestokens: readonly Uint8Array[] = await Promise.all(
  [0, 1, 2].map(async (i) => {
    const t = await issue({ key: attesters[0], audienceKey: attesters[1].publicKey, claims: { iss: 'spiffe://example.org/gateway', exp: NOW + 600, data: { i } }, format: i === 1 ? 'jwt' : 'cbor' });
    return i === 2 ? new TextEncoder().encode(encodeToken(t, 'jwt')) : encodeToken(t, 'cbor');
  }),
);

export type TokenPlan = { readonly nestoken: number } | { readonly format: Exclude<TokenFormat, 'nestoken'>; readonly bytes: Uint8Array; readonly meta?: PlainMap };

export interface StepPlan {
  readonly buckets: ReadonlyArray<{ readonly name: string; readonly tokens: readonly TokenPlan[]; readonly reuse: readonly number[]; readonly claims?: PlainMap }>;
  /** Pick subjects among the CIDs known before this step; absent: no attestation. */
  readonly attest?: { readonly attester: 0 | 1; readonly picks: readonly number[] };
}

export interface CratePlan {
  readonly steps: readonly StepPlan[];
}

const plainLeaf = fc.oneof(fc.constant(null), fc.boolean(), fc.maxSafeInteger(), fc.string({ maxLength: 12 }), fc.uint8Array({ maxLength: 8 }));
const plainValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', maxDepth: 3 }, plainLeaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 3 })),
})).v;
export const plainMap = fc.dictionary(fc.string({ maxLength: 8 }), plainValue, { maxKeys: 3 }) as fc.Arbitrary<PlainMap>;

const tokenPlan: fc.Arbitrary<TokenPlan> = fc.oneof(
  fc.record({ nestoken: fc.nat(nestokens.length - 1) }),
  fc.record(
    { format: fc.constantFrom('jwt', 'cwt', 'other'), bytes: fc.uint8Array({ minLength: 1, maxLength: 48 }), meta: plainMap },
    { requiredKeys: ['format', 'bytes'] },
  ),
);

const stepPlan: fc.Arbitrary<StepPlan> = fc.record(
  {
    buckets: fc.array(
      fc.record(
        { name: fc.string({ minLength: 1, maxLength: 16 }), tokens: fc.array(tokenPlan, { maxLength: 4 }), reuse: fc.array(fc.nat(), { maxLength: 2 }), claims: plainMap },
        { requiredKeys: ['name', 'tokens', 'reuse'] },
      ),
      { maxLength: 3 },
    ),
    attest: fc.record({ attester: fc.constantFrom(0 as const, 1 as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) }),
  },
  { requiredKeys: ['buckets'] },
);

export const cratePlan: fc.Arbitrary<CratePlan> = fc.record({ steps: fc.array(stepPlan, { minLength: 1, maxLength: 3 }) });

function tokenInput(t: TokenPlan): TokenInput {
  if ('nestoken' in t) return { format: 'nestoken', bytes: nestokens[t.nestoken]! };
  return { format: t.format, bytes: t.bytes, ...(t.meta ? { meta: t.meta } : {}) };
}

/** Applies one step on top of `base`: every step is an extension with a new root. */
export async function applyStep(base: Crate | undefined, step: StepPlan): Promise<Crate> {
  const b = new CrateBuilder(base);
  const earlier = base ? [...base.blocks.values()].filter((x) => x.node.type === 'token' || x.node.type === 'bucket').map((x) => x.cid) : [];
  for (const bucket of step.buckets) {
    const items = bucket.tokens.map((t) => b.token(tokenInput(t)));
    for (const r of bucket.reuse) if (earlier.length > 0) items.push(earlier[r % earlier.length]!);
    b.bucket({ name: bucket.name, items: [...new Map(items.map((c) => [c.toString(), c])).values()], ...(bucket.claims ? { claims: bucket.claims } : {}) });
  }
  if (step.attest && base) {
    const known = [...base.blocks.values()].map((x) => x.cid);
    await b.attest({ key: attesters[step.attest.attester], subjects: step.attest.picks.map((p) => known[p % known.length]!), expiresAt: NOW + 600 });
  }
  return b.build();
}

export async function buildPlan(plan: CratePlan, base?: Crate): Promise<Crate> {
  let crate = base;
  for (const step of plan.steps) crate = await applyStep(crate, step);
  return crate!;
}

/** A subset of the present nodes chosen by a boolean mask (repeated to the length). */
export function pick(crate: Crate, mask: readonly boolean[]): string[] {
  return [...crate.blocks.keys()].filter((_, i) => mask.length > 0 && mask[i % mask.length]);
}

export const mask = fc.array(fc.boolean(), { minLength: 1, maxLength: 24 });
