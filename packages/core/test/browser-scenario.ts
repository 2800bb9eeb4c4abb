import type * as Api from '../src/api.js';

/**
 * One scenario, run twice: in headless Chromium against core's browser bundle, and in Node
 * against the Node entry. Everything is seeded, so both runs must produce the same bytes.
 * Kept free of Node globals (no Buffer): it is bundled for the page as it is.
 */
export interface ScenarioInput {
  readonly hops: number;
  readonly formats: ReadonlyArray<'jwt' | 'cbor'>;
  readonly now: number;
  /** Verifications timed per form; the median is reported. */
  readonly timedRuns: number;
}

export interface ScenarioOutput {
  readonly privateJwk: unknown;
  readonly publicJwk: unknown;
  readonly idJwt: string;
  readonly idCborHex: string;
  readonly identities: string[];
  readonly cborFormIdentities: string[];
  readonly tamperedCode: string;
  readonly splicedCode: string;
  readonly wrongAudienceCode: string;
  readonly anonJwt: string;
  readonly anonMode: string;
  readonly anonSealed: boolean;
  readonly anonTamperedCode: string;
  /** A WIT minted and verified through jose (WebCrypto in the page). */
  readonly wit: string;
  readonly witIdentity: string;
  readonly witKey: string;
  readonly verifyMedianMs: { readonly jwt: number; readonly cbor: number; readonly anon: number };
  /**
   * base64url of seeded byte strings of every length to 300 through the Web Crypto backend
   * (the platform's Uint8Array.toBase64 in the page), each checked to decode back to its bytes.
   */
  readonly base64url: string;
  /**
   * SHA-256 of the same byte strings, hex, through a Web Crypto backend made when the scenario
   * started (hash-wasm has compiled by its end): they must be noble's.
   */
  readonly sha256: string;
  /**
   * The Web Crypto backend's verdicts on an honest and an altered signature, each with its
   * message, inside resizable buffers (which Web Crypto refuses; a short signature is passed
   * as it is, and the portable backend then answers): "true,true,false,false".
   */
  readonly resizableVerdicts: string;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Reproducible "randomness" for aggregate nonces: the nonce is hedged, so a fixed stream is safe for vectors. */
function counterRandom(): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    counter++;
    return Uint8Array.from({ length: n }, (_, i) => (counter * 31 + i * 7) & 0xff);
  };
}

async function errorCode(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
    return 'none';
  } catch (e) {
    return (e as { code?: string }).code ?? `not a NestokenError: ${String(e)}`;
  }
}

async function median(runs: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Every length 0..300 of a seeded byte stream, so each final-group shape (none, 2, 3 characters) and every byte value occurs. */
function base64urlRoundTrips(backend: Api.CryptoBackend): string {
  const texts: string[] = [];
  for (let length = 0; length <= 300; length++) {
    const bytes = Uint8Array.from({ length }, (_, i) => (length * 131 + i * 197) & 0xff);
    const text = backend.base64urlEncode(bytes);
    const back = backend.base64urlDecode(text);
    if (back.length !== length || back.some((b, i) => b !== bytes[i])) return `length ${length} does not round-trip`;
    // The binary-string form (a JWS part read as text), where the backend has it, says the same.
    const binary = String.fromCharCode(...bytes);
    if (backend.base64urlDecodeBinary && backend.base64urlDecodeBinary(text) !== binary) return `length ${length}: the binary-string decoding differs`;
    texts.push(text);
  }
  return texts.join('.');
}

async function resizableVerdicts(backend: Api.CryptoBackend, key: Api.SigningKey): Promise<string> {
  const message = new TextEncoder().encode('a message in a buffer Web Crypto refuses');
  const signature = (await backend.ed25519Sign(key.seed, message)).slice();
  const within = (bytes: Uint8Array): Uint8Array => {
    const buffer = new (ArrayBuffer as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(bytes.length + 1, { maxByteLength: 2 * bytes.length + 2 });
    const view = new Uint8Array(buffer, 1, bytes.length);
    view.set(bytes);
    return view;
  };
  const verdicts: boolean[] = [];
  for (const checked of [signature, signature.map((b, i) => (i === 0 ? b ^ 1 : b))]) {
    verdicts.push(await backend.ed25519Verify(key.publicKey.bytes, within(message), within(checked)));
    verdicts.push(await backend.ed25519Verify(key.publicKey.bytes, message, within(checked)));
  }
  return verdicts.join(',');
}

/** SHA-256 of every length 0..300 of the same stream, hex, joined by dots. */
export function sha256Digests(backend: Api.CryptoBackend): string {
  return Array.from({ length: 301 }, (_, length) => hex(backend.sha256(Uint8Array.from({ length }, (_, i) => (length * 131 + i * 197) & 0xff)))).join('.');
}

/** Changes one base64url character in the middle of the last layer. */
function tamper(token: string): string {
  const at = token.length - 40;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

export async function runScenario(api: typeof Api, input: ScenarioInput): Promise<ScenarioOutput> {
  const hashing = api.webCryptoBackend();
  const keys = Array.from({ length: input.hops + 1 }, (_, i) => api.generateSigningKey(new Uint8Array(32).fill(i + 1)));
  const identity = (i: number) => `spiffe://example.org/hop-${i}`;
  const trust = api.createTrustBundle({ signers: keys.map((key, i) => ({ identity: identity(i), key: key.publicKey })) });
  const { now } = input;

  let token = await api.issue({
    key: keys[0]!,
    audienceKey: keys[1]!.publicKey,
    claims: { iss: identity(0), sub: 'alice', iat: now, exp: now + 600, jti: 'root' },
    format: input.formats[0]!,
  });
  for (let i = 1; i < input.hops; i++) {
    token = await api.extend(token, {
      key: keys[i]!,
      audienceKey: keys[i + 1]!.publicKey,
      claims: { data: { hop: i, note: 'ünïcödé ✓' } },
      format: input.formats[i % input.formats.length]!,
    });
  }
  const idJwt = api.encodeToken(token, 'jwt');
  const idCbor = api.encodeToken(token, 'cbor');
  const options = { trust, now, audience: keys[input.hops]!.publicKey };
  const path = await api.verify(idJwt, options);
  const cborPath = await api.verify(idCbor, options);

  const parts = idJwt.split('~');
  const spliced = [...parts.slice(0, 1), ...parts.slice(2)].join('~');

  let anon = await api.issue({ mode: 'anon', key: keys[0]!, claims: { sub: 'alice', exp: now + 600 }, format: 'cbor', random: counterRandom() });
  const random = counterRandom();
  for (let i = 1; i < input.hops; i++) {
    const identified = i % 4 === 0;
    anon = await api.extend(anon, {
      ...(identified ? { key: keys[i]! } : {}),
      claims: { data: { hop: i } },
      format: input.formats[i % input.formats.length]!,
      random,
      ...(i === input.hops - 1 ? { seal: true } : {}),
    });
  }
  const anonJwt = api.encodeToken(anon, 'jwt');
  const anonPath = await api.verify(anonJwt, { trust, now, allowAnyAudience: true });

  const authority = api.signingKeyFromSeed(new Uint8Array(32).fill(0x77));
  const workload = api.signingKeyFromSeed(new Uint8Array(32).fill(0x78));
  const wit = await api.issueIdentityDocument({ authority, subject: 'wimse://example.org/wit-hop', key: workload.publicKey, issuedAt: now, expiresAt: now + 600 });
  const witTrust = api.loadWitIssuers(api.witIssuerJwks(authority), { trustDomain: 'example.org' });
  const proven = await api.verifyIdentityDocument(wit, witTrust, { now, clockSkew: 60 });

  return {
    base64url: base64urlRoundTrips(api.webCryptoBackend()),
    sha256: sha256Digests(hashing),
    resizableVerdicts: await resizableVerdicts(api.webCryptoBackend(), keys[0]!),
    privateJwk: api.exportPrivateJwk(keys[0]!, { sub: identity(0) }),
    publicJwk: api.exportPublicJwk(keys[0]!),
    idJwt,
    idCborHex: hex(idCbor),
    identities: path.hops.map((h) => h.identity),
    cborFormIdentities: cborPath.hops.map((h) => h.identity),
    tamperedCode: await errorCode(() => api.verify(tamper(idJwt), options)),
    splicedCode: await errorCode(() => api.verify(spliced, options)),
    wrongAudienceCode: await errorCode(() => api.verify(idJwt, { ...options, audience: keys[0]!.publicKey })),
    anonJwt,
    anonMode: anonPath.mode,
    anonSealed: anonPath.sealed,
    anonTamperedCode: await errorCode(() => api.verify(tamper(anonJwt), { trust, now, allowAnyAudience: true })),
    wit,
    witIdentity: proven.identity,
    witKey: proven.confirmation.thumbprint,
    verifyMedianMs: {
      jwt: await median(input.timedRuns, () => api.verify(idJwt, options)),
      cbor: await median(input.timedRuns, () => api.verify(idCbor, options)),
      anon: await median(input.timedRuns, () => api.verify(anonJwt, { trust, now, allowAnyAudience: true })),
    },
  };
}
