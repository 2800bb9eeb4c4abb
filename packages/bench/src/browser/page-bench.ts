import * as nt from '@nestoken/core';

/**
 * Runs inside the page (bundled with core's browser entry by package name): the verify cost of
 * an n-hop ID chain against n bare Web Crypto Ed25519 verifies of the same keys, in paired
 * rounds so that drift in the page hits both alike. No Node globals here.
 */
export interface PageBenchInput {
  readonly hops: number;
  readonly rounds: number;
  /** Rounds of the (much slower) portable pair. */
  readonly portableRounds: number;
  /** Calls per timed sample: enough for the timer's resolution. */
  readonly batch: number;
  readonly formats: ReadonlyArray<'jwt' | 'cbor'>;
}

export interface PageBenchSide {
  /** Milliseconds per call, one per round. */
  readonly ms: number[];
}

export interface PageBenchOutput {
  readonly webCrypto: boolean;
  readonly userAgent: string;
  readonly chainWebCrypto: PageBenchSide;
  readonly bareWebCrypto: PageBenchSide;
  readonly chainPortable: PageBenchSide;
  readonly barePortable: PageBenchSide;
  readonly tokenBytes: number;
}

const NOW = 1_800_000_000;

async function timed(batch: number, f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < batch; i++) await f();
  return (performance.now() - t) / batch;
}

export async function runPageBench(input: PageBenchInput): Promise<PageBenchOutput> {
  const keys = Array.from({ length: input.hops + 1 }, (_, i) => nt.signingKeyFromSeed(new Uint8Array(32).fill(i + 1)));
  const identity = (i: number) => `spiffe://example.org/hop-${i}`;
  const trust = nt.createTrustBundle({ signers: keys.map((key, i) => ({ identity: identity(i), key: key.publicKey })) });
  let token = await nt.issue({ key: keys[0]!, audienceKey: keys[1]!.publicKey, claims: { iss: identity(0), sub: 'alice', iat: NOW, exp: NOW + 600 } });
  for (let i = 1; i < input.hops; i++) {
    token = await nt.extend(token, { key: keys[i]!, audienceKey: keys[i + 1]!.publicKey, claims: { data: { hop: i } }, format: input.formats[i % input.formats.length]! });
  }
  const wire = nt.encodeToken(token, 'jwt');
  const options = { trust, now: NOW, audience: keys[input.hops]!.publicKey };

  // The floor: the same n keys, imported once, n signatures over messages of the layers' size, all at once.
  const subtle = globalThis.crypto.subtle;
  const signed = await Promise.all(
    token.layers.map(async (layer, i) => ({
      key: await subtle.importKey('raw', keys[i]!.publicKey.bytes.slice(), { name: 'Ed25519' }, false, ['verify']),
      raw: keys[i]!.publicKey.bytes,
      message: layer.signingInput.slice(),
      signature: layer.signature.slice(),
    })),
  );
  const bareWebCrypto = async () => {
    const ok = await Promise.all(signed.map((s) => subtle.verify({ name: 'Ed25519' }, s.key, s.signature, s.message)));
    if (!ok.every(Boolean)) throw new Error('bare verify failed');
  };
  const barePortable = async () => {
    for (const s of signed) if (!(await nt.portableBackend.ed25519Verify(s.raw, s.message, s.signature))) throw new Error('bare verify failed');
  };
  const chain = async () => nt.verify(wire, options);

  const webCrypto = nt.webCryptoBackend();
  const sides = { chainWebCrypto: [] as number[], bareWebCrypto: [] as number[], chainPortable: [] as number[], barePortable: [] as number[] };
  // Paired rounds, Web Crypto first, then the portable pair on its own: the portable path's
  // garbage must not land in the Web Crypto timings. Round -1 warms up (key caches, JIT).
  nt.useCryptoBackend(webCrypto);
  for (let round = -1; round < input.rounds; round++) {
    const cw = await timed(input.batch, chain);
    const bw = await timed(input.batch, bareWebCrypto);
    if (round < 0) continue;
    sides.chainWebCrypto.push(cw);
    sides.bareWebCrypto.push(bw);
  }
  nt.useCryptoBackend(nt.portableBackend);
  const portableBatch = Math.max(1, input.batch >> 3);
  for (let round = -1; round < input.portableRounds; round++) {
    const cp = await timed(portableBatch, chain);
    const bp = await timed(portableBatch, barePortable);
    if (round < 0) continue;
    sides.chainPortable.push(cp);
    sides.barePortable.push(bp);
  }
  nt.useCryptoBackend(webCrypto);
  return {
    webCrypto: await nt.webCryptoEd25519Available(),
    userAgent: navigator.userAgent,
    chainWebCrypto: { ms: sides.chainWebCrypto },
    bareWebCrypto: { ms: sides.bareWebCrypto },
    chainPortable: { ms: sides.chainPortable },
    barePortable: { ms: sides.barePortable },
    tokenBytes: wire.length,
  };
}
