import * as nt from '@nestoken/core';
import { hopIdentity, ISSUER, VERIFY_AT } from '../fixtures.js';
import { buildIdChain } from '../scenarios/id-chain.js';

/**
 * Runs inside the page (bundled with core's browser entry by package name): the verify cost of
 * an n-hop ID chain against n bare Web Crypto Ed25519 verifies of the same signatures, in
 * paired rounds so that drift in the page hits both alike, for each token form. The chains are
 * the Node scenario's (`nestoken-id-node-jwt`, `-cbor`): every layer in the form's own format,
 * the same claims and identities. No Node globals here.
 *
 * Every timed chain is one this page has not verified before: core remembers valid layer
 * signatures, so verifying one token again checks no signature at all, and that would compare
 * parsing with crypto. Those repeat verifies are timed on their own (`chainSeen`).
 */
export interface PageBenchInput {
  readonly hops: number;
  readonly rounds: number;
  /** Rounds of the (much slower) portable pair. */
  readonly portableRounds: number;
  /** Fresh chains per round (each side's round time is the median of its calls on them). */
  readonly batch: number;
  /** The token forms measured, one after the other; each layer of a chain is in its form's format. */
  readonly forms: readonly nt.TokenForm[];
  /** Milliseconds every Web Crypto side runs before the rounds of each form (the JIT settles). */
  readonly warmUpMs: number;
}

export interface PageBenchSide {
  /** Milliseconds per call, one per round (the median of that round's calls; the portable pair: the mean). */
  readonly ms: number[];
}

/** One form's sides, each paired round by round with the others. */
export interface PageBenchForm {
  readonly form: nt.TokenForm;
  readonly tokenBytes: number;
  /** Verify a chain never seen before: n signature checks and everything around them. */
  readonly chainWebCrypto: PageBenchSide;
  /** Verify the same chains again: their signatures are remembered, so this is the work around them. */
  readonly chainSeenWebCrypto: PageBenchSide;
  /** The n signatures of the same chains, keys imported beforehand, all started at once. */
  readonly bareWebCrypto: PageBenchSide;
  /** The same, one awaited after the other. */
  readonly bareSequentialWebCrypto: PageBenchSide;
  readonly chainPortable: PageBenchSide;
  readonly barePortable: PageBenchSide;
}

export interface PageBenchOutput {
  readonly webCrypto: boolean;
  readonly userAgent: string;
  /** Whether the page was cross-origin isolated (a microsecond clock; else a tenth of a millisecond). */
  readonly isolated: boolean;
  readonly forms: readonly PageBenchForm[];
}

const ED25519 = { name: 'Ed25519' } as const;

interface Fresh {
  readonly wire: string | Uint8Array;
  /** Each layer's signing input and signature, copied out before timing. */
  readonly signed: ReadonlyArray<{ readonly message: Uint8Array<ArrayBuffer>; readonly signature: Uint8Array<ArrayBuffer> }>;
}

async function timed<T>(items: readonly T[], f: (item: T) => Promise<unknown>): Promise<number> {
  const t = performance.now();
  for (const item of items) await f(item);
  return (performance.now() - t) / items.length;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Lets the page go idle for a while, so that garbage collection finishes out of the timings. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 500));

/** One call, timed: the page is cross-origin isolated, so the clock ticks in microseconds. */
async function once(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

/** The keys, trust and verify options of an n-hop chain, and a maker of chains never seen before. */
function chainMaker(hops: number) {
  const keys = Array.from({ length: hops + 1 }, (_, i) => nt.signingKeyFromSeed(new Uint8Array(32).fill(i + 1)));
  const trust = nt.createTrustBundle({ signers: keys.map((key, i) => ({ identity: i === 0 ? ISSUER : hopIdentity(i), key: key.publicKey })) });
  const options = { trust, now: VERIFY_AT, audience: keys[hops]!.publicKey };
  let serial = 0;
  // A new root (its jti) changes every later layer's prv, so all n signatures are new.
  const fresh = async (form: nt.TokenForm): Promise<Fresh> => {
    const token = await buildIdChain(keys, hops, form, serial++);
    return { wire: nt.encodeToken(token, form), signed: token.layers.map((l) => ({ message: l.signingInput.slice(), signature: l.signature.slice() })) };
  };
  // Built with Web Crypto whichever backend is timed: building is not what is measured.
  const freshChains = async (form: nt.TokenForm, count: number): Promise<Fresh[]> => {
    const chains: Fresh[] = [];
    for (let i = 0; i < count; i++) chains.push(await fresh(form));
    return chains;
  };
  const verify = async (c: Fresh) => {
    const path = await nt.verify(c.wire, options);
    if (path.hops.length !== hops) throw new Error(`verified ${path.hops.length} hops`);
  };
  return { keys, freshChains, verify };
}

export async function runPageBench(input: PageBenchInput): Promise<PageBenchOutput> {
  const { keys, freshChains, verify: chain } = chainMaker(input.hops);
  const webCrypto = nt.webCryptoBackend();
  nt.useCryptoBackend(webCrypto);

  // The floor: the same n keys, imported once, as an application that verifies n signatures would.
  const subtle = globalThis.crypto.subtle;
  const imported = await Promise.all(keys.slice(0, input.hops).map((k) => subtle.importKey('raw', k.publicKey.bytes.slice(), ED25519, false, ['verify'])));
  const bareConcurrent = async (c: Fresh) => {
    const ok = await Promise.all(c.signed.map((s, i) => subtle.verify(ED25519, imported[i]!, s.signature, s.message)));
    if (!ok.every(Boolean)) throw new Error('bare verify failed');
  };
  const bareSequential = async (c: Fresh) => {
    for (let i = 0; i < c.signed.length; i++) {
      if (!(await subtle.verify(ED25519, imported[i]!, c.signed[i]!.signature, c.signed[i]!.message))) throw new Error('bare verify failed');
    }
  };
  const barePortable = async (c: Fresh) => {
    for (let i = 0; i < c.signed.length; i++) {
      if (!(await nt.portableBackend.ed25519Verify(keys[i]!.publicKey.bytes, c.signed[i]!.message, c.signed[i]!.signature))) throw new Error('bare verify failed');
    }
  };

  const forms: PageBenchForm[] = [];
  for (const form of input.forms) {
    const sides = {
      chainWebCrypto: [] as number[],
      chainSeenWebCrypto: [] as number[],
      bareWebCrypto: [] as number[],
      bareSequentialWebCrypto: [] as number[],
      chainPortable: [] as number[],
      barePortable: [] as number[],
    };
    // Every chain is built before anything is timed, and the page then idles a moment: building
    // leaves garbage, and V8 makes whoever allocates next pay for collecting it, which would be
    // the chain verifies (they allocate; the bare ones hardly do).
    nt.useCryptoBackend(webCrypto);
    const portableBatch = Math.max(1, input.batch >> 3);
    const webCryptoChains = await freshChains(form, (input.rounds + 1) * input.batch);
    const portableChains = await freshChains(form, (input.portableRounds + 1) * portableBatch);
    // The optimising compiler works in the background, and on a busy machine it takes seconds
    // before the verify path runs optimised: until then chain verifies (JavaScript) are slow and
    // bare ones (native) are not. So every side runs for a while on chains of its own first.
    const warmUp = await freshChains(form, input.batch);
    for (const started = performance.now(); performance.now() - started < input.warmUpMs; ) {
      for (const c of warmUp) {
        await chain(c);
        await bareConcurrent(c);
        await bareSequential(c);
      }
    }
    await settle();

    // Paired rounds, Web Crypto first, then the portable pair on its own: the portable path's
    // garbage must not land in the Web Crypto timings. Within a round the three sides take turns
    // chain by chain, in an order that turns with every chain, so that load on the machine lands
    // on all of them alike; the repeat verifies follow (they need the first). Round -1 warms up.
    const paired = [
      ['chainWebCrypto', chain],
      ['bareWebCrypto', bareConcurrent],
      ['bareSequentialWebCrypto', bareSequential],
    ] as const;
    for (let round = -1; round < input.rounds; round++) {
      const chains = webCryptoChains.slice((round + 1) * input.batch, (round + 2) * input.batch);
      const calls = new Map<keyof typeof sides, number[]>(paired.map(([side]) => [side, []]));
      for (let c = 0; c < chains.length; c++) {
        for (let k = 0; k < paired.length; k++) {
          const [side, f] = paired[(k + c) % paired.length]!;
          calls.get(side)!.push(await once(() => f(chains[c]!)));
        }
      }
      const seen: number[] = [];
      for (const c of chains) seen.push(await once(() => chain(c)));
      if (round < 0) continue;
      // A call the machine preempted would swing a mean; the median of the round's calls does not.
      for (const [side, ms] of calls) sides[side].push(median(ms));
      sides.chainSeenWebCrypto.push(median(seen));
    }
    nt.useCryptoBackend(nt.portableBackend);
    for (let round = -1; round < input.portableRounds; round++) {
      const chains = portableChains.slice((round + 1) * portableBatch, (round + 2) * portableBatch);
      const cp = await timed(chains, chain);
      const bp = await timed(chains, barePortable);
      if (round < 0) continue;
      sides.chainPortable.push(cp);
      sides.barePortable.push(bp);
    }
    nt.useCryptoBackend(webCrypto);
    forms.push({
      form,
      tokenBytes: webCryptoChains[0]!.wire.length,
      chainWebCrypto: { ms: sides.chainWebCrypto },
      chainSeenWebCrypto: { ms: sides.chainSeenWebCrypto },
      bareWebCrypto: { ms: sides.bareWebCrypto },
      bareSequentialWebCrypto: { ms: sides.bareSequentialWebCrypto },
      chainPortable: { ms: sides.chainPortable },
      barePortable: { ms: sides.barePortable },
    });
  }
  return {
    webCrypto: await nt.webCryptoEd25519Available(),
    userAgent: navigator.userAgent,
    isolated: globalThis.crossOriginIsolated === true,
    forms,
  };
}

/**
 * For a profiler around it: builds `count` fresh chains of the form and warms the verify path up
 * on as many others, then hands back a function that verifies each of the `count` once (Web
 * Crypto backend) and answers the milliseconds per chain.
 */
export async function preparePageProfile(input: { readonly hops: number; readonly form: nt.TokenForm; readonly count: number }): Promise<() => Promise<number>> {
  const { freshChains, verify } = chainMaker(input.hops);
  nt.useCryptoBackend(nt.webCryptoBackend());
  for (const c of await freshChains(input.form, input.count)) await verify(c);
  const chains = await freshChains(input.form, input.count);
  await settle();
  return () => timed(chains, verify);
}
