import type { Layer, LayerFormat } from '@nestoken/core';
import { p256 } from '@noble/curves/nist.js';
import { b64u } from '../bytes.js';
import { hops } from '../cast.js';
import { aggregateChain, digestOf, idChain, type Built } from '../chains.js';
import type { TokenVectorFile } from '../model.js';
import { replaceAt, structuralExpectation, swap, tamperExpectation, without } from '../structure.js';
import { reencode, signLayer, transcode } from '../wire/layer.js';
import { addToken, topicContext } from './context.js';

/** The P-256 group order n (SEC 2 §2.4.2). */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const be32 = (x: bigint): number[] => Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * (31 - i))) & 0xffn));
const rs = (r: bigint, s: bigint): Uint8Array => Uint8Array.from([...be32(r), ...be32(s)]);
const int = (b: Uint8Array): bigint => b.reduce((x, byte) => (x << 8n) | BigInt(byte), 0n);

/** The signatures spec §5.2 refuses for an ES256 layer whose honest signature is `sig`, with their flags. */
function nonCanonical(sig: Uint8Array): Array<{ what: string; flag: string; signature: Uint8Array }> {
  const r = int(sig.subarray(0, 32));
  const s = int(sig.subarray(32));
  return [
    { what: 'its high-S twin (r, n − s)', flag: 'Es256HighS', signature: rs(r, P256_N - s) },
    { what: 'r = 0', flag: 'Es256ScalarRange', signature: rs(0n, s) },
    { what: 's = 0', flag: 'Es256ScalarRange', signature: rs(r, 0n) },
    { what: 'r = n', flag: 'Es256ScalarRange', signature: rs(P256_N, s) },
    { what: 's = n', flag: 'Es256ScalarRange', signature: rs(r, P256_N) },
    { what: 's + n in place of s (the same s modulo n, when it fits)', flag: 'Es256ScalarRange', signature: rs(r, s + P256_N < 2n ** 256n ? s + P256_N : P256_N + 1n) },
    { what: 'the DER (ASN.1) encoding of the same (r, s)', flag: 'Es256SignatureForm', signature: p256.Signature.fromBytes(sig).toBytes('der') },
    { what: 'its first 63 bytes', flag: 'Es256SignatureForm', signature: sig.subarray(0, 63) },
    { what: 'a zero byte in front (65 bytes)', flag: 'Es256SignatureForm', signature: Uint8Array.from([0, ...sig]) },
  ];
}

export async function es256Vectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);
  const ecRoles = (n: number) => hops(n).map((r) => `ec-${r}`);
  /** Odd positions hold P-256 keys: hop 1, 3, … sign with ES256, the others with Ed25519. */
  const mixedRoles = (n: number) => hops(n).map((r, i) => (i % 2 === 1 ? `ec-${r}` : r));
  const roles = [...new Set([...ecRoles(16), ...mixedRoles(16)])];
  const g = file.group({
    comment:
      'ES256 layers (spec §5.2): roles named ec-… hold P-256 keys, the others Ed25519 keys; the bundle lists all of them but ec-stranger. ' +
      'Every ES256 signature is the RFC 6979 signature, low-S normalised, as 64 bytes r ‖ s.',
    keys: cast.publicKeys([...roles, 'ec-stranger']),
    privateKeys: cast.privateKeys(roles),
    trust: cast.trust(roles),
  });
  const audienceOf = (rs: readonly string[]) => ({ audience: cast.kid(rs[rs.length - 1]!) });
  const chain = (rs: readonly string[], formats: readonly LayerFormat[], tag: string): Promise<Built> => idChain(cast, { roles: rs.slice(0, formats.length + 1), formats, tag });
  const valid = (built: Built, rs: readonly string[], comment: string, flags: string[]) =>
    addToken(g, built.token, { comment, flags: ['ValidChain', 'Es256Layer', ...flags], options: audienceOf(rs), expect: { valid: built.path } });

  // Valid chains: ES256 only, and alternating with Ed25519, in every shape of format.
  const patterns: ReadonlyArray<readonly LayerFormat[]> = [['jwt'], ['cbor'], ['jwt', 'cbor'], ['cbor', 'jwt', 'cbor', 'jwt'], Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 'cbor' : 'jwt'))];
  for (const [k, formats] of patterns.entries()) {
    const n = formats.length;
    const flags = [...(new Set(formats).size > 1 ? ['MixedFormats'] : []), ...(n >= 8 ? ['LongChain'] : [])];
    valid(await chain(ecRoles(n), formats, `ec${k}`), ecRoles(n), `${n} ES256 layer(s): ${formats.join(', ')}`, flags);
    if (n > 1) valid(await chain(mixedRoles(n), formats, `mix${k}`), mixedRoles(n), `${n} layers alternating Ed25519 and ES256: ${formats.join(', ')}`, flags);
  }

  // The one canonical signature (spec §5.2), on the last layer of ES256 chains in both formats.
  for (const format of ['jwt', 'cbor'] as const) {
    const rs = ecRoles(1);
    const single = await chain(rs, [format], `nc-${format}`);
    const layer = single.token.layers[0]!;
    for (const { what, flag, signature } of nonCanonical(layer.signature)) {
      addToken(g, { layers: [reencode(layer, { signature })] }, { comment: `a ${format} ES256 root whose signature is ${what}`, flags: [flag], options: audienceOf(rs), expect: { code: 'ERR_SIGNATURE_INVALID', layer: 0 } });
    }
  }
  const mixed = mixedRoles(4);
  const base = await chain(mixed, ['jwt', 'cbor', 'jwt', 'cbor'], 'base');
  const L = base.token.layers;
  const n = L.length;
  const highS = (l: Layer) => nonCanonical(l.signature)[0]!.signature;
  addToken(g, { layers: replaceAt(L, n - 1, reencode(L[n - 1]!, { signature: highS(L[n - 1]!) }, L[n - 2]!.header.alg)) }, { comment: 'the last (ES256, cbor) layer of a mixed chain with its high-S twin', flags: ['Es256HighS'], options: audienceOf(mixed), expect: { code: 'ERR_SIGNATURE_INVALID', layer: n - 1 } });
  addToken(g, { layers: replaceAt(L, 1, reencode(L[1]!, { signature: highS(L[1]!) }, L[0]!.header.alg)) }, { comment: 'an inner ES256 layer with its high-S twin: its own signature fails first', flags: ['Es256HighS'], options: audienceOf(mixed), expect: tamperExpectation(1, n, 'id') });

  // Manipulations of a chain with ES256 hops fail as they do for Ed25519 hops.
  const structural = (layers: readonly Layer[], comment: string, flags: string[]) =>
    addToken(g, { layers }, { comment, flags, options: audienceOf(mixed), expect: structuralExpectation(layers, 'id') });
  structural(L.slice(0, n - 1), `only the first ${n - 1} of ${n} layers`, ['TailTruncation']);
  structural(L.slice(1), 'the root removed', ['RootRemoved']);
  structural(without(L, 2), 'layer 2 removed', ['LayerRemoved']);
  structural(swap(L, 1, 2), 'layers 1 (ES256) and 2 (Ed25519) swapped', ['Reorder']);
  const other = await chain(mixed, ['cbor', 'jwt', 'cbor', 'jwt'], 'other');
  structural([...L.slice(0, 2), ...other.token.layers.slice(2)], 'layers 0..1 of one chain, the rest of another by the same signers', ['Splice']);
  for (const i of [1, n - 1]) {
    const changed = reencode(L[i]!, { claims: { ...L[i]!.claims, jti: `changed-${i}` } }, L[i - 1]!.header.alg);
    addToken(g, { layers: replaceAt(L, i, changed) }, { comment: `ES256 layer ${i}'s jti changed`, flags: ['ModifiedClaims'], options: audienceOf(mixed), expect: tamperExpectation(i, n, 'id') });
  }
  const reencoded = transcode(L[n - 1]!, L[n - 2]!.header.alg);
  addToken(g, { layers: replaceAt(L, n - 1, reencoded) }, { comment: 'the last ES256 layer re-encoded from cbor to jwt, not re-signed', flags: ['FormatChangedCborToJwt'], options: audienceOf(mixed), expect: { code: 'ERR_FORMAT_CHANGED', layer: n - 1 } });
  const forged = await signLayer(L[n - 1]!.format, cast.key('ec-stranger'), L[n - 1]!.header, L[n - 1]!.claims, L[n - 2]!.header.alg);
  addToken(g, { layers: replaceAt(L, n - 1, forged) }, { comment: 'the last layer signed by an untrusted P-256 key under the rightful kid', flags: ['WrongKey'], options: audienceOf(mixed), expect: { code: 'ERR_SIGNATURE_INVALID', layer: n - 1 } });
  const viaStranger = await idChain(cast, { roles: ['idp', 'ec-stranger', 'foo'], formats: ['jwt', 'cbor'], tag: 'stranger' });
  addToken(g, viaStranger.token, { comment: 'the root hands the token to a P-256 key the bundle does not list, which extends it', flags: ['UntrustedKey'], expect: { code: 'ERR_KEY_UNTRUSTED', layer: 1 } });

  // A layer's alg is its key's (spec §7.4).
  const prv = digestOf(L[0]!.bytes);
  const hop1 = { iss: cast.identity(mixed[1]!), jti: 'mismatch-1', cnf: { jkt: cast.kid(mixed[2]!) } };
  for (const format of ['jwt', 'cbor'] as const) {
    const asEd = await signLayer(format, cast.key(mixed[1]!), { alg: 'Ed25519', kid: cast.kid(mixed[1]!), prv }, hop1, L[0]!.header.alg);
    addToken(g, { layers: [L[0]!, asEd] }, { comment: `a ${format} layer labelled Ed25519 that names (and is signed by) the P-256 key of ${mixed[1]}`, flags: ['AlgKeyMismatch'], expect: { code: 'ERR_ALG_KEY_MISMATCH', layer: 1 } });
  }
  const ecRoot = L[0]!.header;
  const asEs = await signLayer('jwt', cast.key('ec-idp'), { ...ecRoot, alg: 'ES256' }, L[0]!.claims);
  addToken(g, { layers: [asEs] }, { comment: 'a JWT layer labelled ES256, signed by a P-256 key, whose kid names the Ed25519 key of idp', flags: ['AlgKeyMismatch'], expect: { code: 'ERR_ALG_KEY_MISMATCH', layer: 0 } });

  // The aggregate modes take Ed25519 keys only (spec §6.1).
  const anon = await aggregateChain(cast, { root: 'idp', rootFormat: 'jwt', hops: [{ format: 'cbor' }], tag: 'agg' });
  const link = anon.token.layers[1]!;
  const ecLink = reencode(link, { header: { ...link.header, kid: cast.kid('ec-gateway') }, claims: { ...link.claims, iss: cast.identity('ec-gateway') } });
  addToken(g, { layers: [anon.token.layers[0]!, ecLink], proof: anon.token.proof! }, { comment: 'an nst-r255 link whose kid names the P-256 key of ec-gateway', flags: ['AlgKeyMismatch'], expect: { code: 'ERR_ALG_KEY_MISMATCH', layer: 1 } });
  addToken(g, { layers: [anon.token.layers[0]!, reencode(L[1]!, {}, 'nst-r255')], proof: anon.token.proof! }, { comment: 'an ES256 layer after an aggregate root', flags: ['ModeMixed'], expect: { code: 'ERR_MODE_MIXED', layer: 1 } });
  addToken(g, { layers: [L[0]!, reencode(link, {}, L[0]!.header.alg)] }, { comment: 'an anonymous link after an ID-mode root handed to a P-256 key', flags: ['ModeMixed'], expect: { code: 'ERR_MODE_MIXED', layer: 1 } });

  // Verifier policy.
  addToken(g, base.token, { comment: 'the verifier allows only Ed25519 layers', flags: ['AlgNotAllowedByVerifier'], options: { ...audienceOf(mixed), algorithms: ['Ed25519', 'nst-r255'] }, expect: { code: 'ERR_ALG_NOT_ALLOWED', layer: 1 } });
  addToken(g, base.token, { comment: 'the verifier allows only ES256 layers', flags: ['AlgNotAllowedByVerifier'], options: { ...audienceOf(mixed), algorithms: ['ES256'] }, expect: { code: 'ERR_ALG_NOT_ALLOWED', layer: 0 } });

  // A bundle whose P-256 key is not on the curve is refused as a whole (spec §3.5).
  const good = cast.signer('ec-gateway');
  const y = Uint8Array.from(Buffer.from(good.y!, 'base64url'));
  y[31] = y[31]! ^ 1;
  const broken = file.group({
    comment: 'A bundle with one P-256 key whose y was changed, so the point is off the curve.',
    keys: cast.publicKeys(['ec-idp', 'ec-gateway']),
    trust: { signers: { keys: [cast.signer('ec-idp'), { ...good, y: b64u(y) }] } },
  });
  const small = await chain(ecRoles(1), ['jwt'], 'broken');
  addToken(broken, small.token, { comment: 'any token: the bundle does not load', flags: ['InvalidBundleKey'], expect: { code: 'ERR_TRUST_BUNDLE' } });

  return file.finish({
    topic: 'es256',
    algorithm: 'ES256',
    header: [
      'ES256 layers (spec §5.2): ECDSA P-256 with SHA-256 as fixed-width r ‖ s, low S, next to Ed25519 layers in one chain.',
      'The one canonical signature, the same manipulations as for Ed25519 chains, a layer alg that is not its key\'s, and the aggregate modes refusing P-256 keys.',
    ],
  });
}

