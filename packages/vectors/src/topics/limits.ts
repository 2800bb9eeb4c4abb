import { issueIdentityDocument, type Claims, type LayerFormat } from '@nestoken/core';
import { encode, Tagged } from 'cborg';
import { b64u, concat, hex } from '../bytes.js';
import { HOUR, NOW, hops } from '../cast.js';
import { aggregateChain, aggregateExtras, idChain, type Built } from '../chains.js';
import type { Expectation } from '../expectation.js';
import type { TokenVectorFile } from '../model.js';
import { cborForm, jwtForm, TAG_NESTOKEN } from '../wire/container.js';
import { canonicalJson } from '../wire/json.js';
import { coseProtectedMap, cwtClaimsMap } from '../wire/layer.js';
import { signedCose, signedJws } from '../wire/raw.js';
import { topicContext } from './context.js';
import { rootKit } from './root-kit.js';

/** Depth of the deepest object or array below the claims object (which is depth 0), as spec §7.1 counts it. */
function deepest(v: unknown, depth = 0): number {
  if (typeof v !== 'object' || v === null) return -1;
  const children = Array.isArray(v) ? v : Object.values(v);
  return Math.max(depth, ...children.map((c) => deepest(c, depth + 1)));
}

/** Object members plus array items, across the whole claims value. */
function items(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return children.length + children.reduce((n: number, c) => n + items(c), 0);
}

/** Longest text (value or member name) in the claims, in UTF-16 code units. */
function longest(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (typeof v !== 'object' || v === null) return 0;
  if (Array.isArray(v)) return Math.max(0, ...v.map(longest));
  return Math.max(0, ...Object.entries(v).map(([k, x]) => Math.max(k.length, longest(x))));
}

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

export async function limitsVectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);
  const roles = hops(3);
  const g = file.group({ comment: 'Every limit of spec §7.1 at its value and one beyond, set low in the verifier options so that inputs stay small; and bombs against the default limits.', keys: cast.publicKeys([...roles, 'authority']), trust: cast.trust(roles, ['authority']) });
  const at = (input: { jwt?: string; cborHex?: string; text?: string }, limits: object, comment: string, flags: string[], expect: Expectation, extras: object = {}) =>
    g.add({ comment, flags, now: NOW, options: { limits }, ...input, expect, ...extras });
  const boundary = (built: Built, input: { jwt?: string; cborHex?: string; text?: string }, limit: string, value: number, code: 'ERR_INPUT_TOO_LARGE' | 'ERR_LIMIT_EXCEEDED', what: string, layer?: number) => {
    at(input, { [limit]: value }, `${what}: ${limit} = ${value}, exactly enough`, ['AtLimit'], { valid: built.path });
    at(input, { [limit]: value - 1 }, `${what}: ${limit} = ${value - 1}, one short`, [code === 'ERR_INPUT_TOO_LARGE' ? 'Oversized' : limit === 'maxLayers' ? 'LayerCountBomb' : limit === 'maxClaimDepth' ? 'DepthBomb' : limit === 'maxClaimItems' ? 'CountBomb' : 'LongString'], { code, ...(layer === undefined ? {} : { layer }) });
  };

  const chain = await idChain(cast, { roles, formats: ['jwt', 'cbor', 'jwt'], tag: 'limits' });
  const jwt = jwtForm(chain.token);
  const cbor = cborForm(chain.token);
  boundary(chain, { jwt }, 'maxTokenBytes', jwt.length, 'ERR_INPUT_TOO_LARGE', 'JWT form, counted in characters');
  boundary(chain, { cborHex: hex(cbor) }, 'maxTokenBytes', cbor.length, 'ERR_INPUT_TOO_LARGE', 'CBOR form, counted in bytes');
  boundary(chain, { text: b64u(cbor) }, 'maxTokenBytes', b64u(cbor).length, 'ERR_INPUT_TOO_LARGE', 'CBOR form as base64url text, counted in characters');
  const sizes = chain.token.layers.map((l) => l.bytes.length);
  const biggest = sizes.indexOf(Math.max(...sizes));
  boundary(chain, { jwt, cborHex: hex(cbor) }, 'maxLayerBytes', sizes[biggest]!, 'ERR_INPUT_TOO_LARGE', `the largest layer (${biggest}, ${sizes[biggest]} bytes)`, biggest);
  boundary(chain, { jwt, cborHex: hex(cbor) }, 'maxLayers', 3, 'ERR_LIMIT_EXCEEDED', 'three layers');
  const anon = await aggregateChain(cast, { root: 'idp', rootFormat: 'cbor', hops: [{ format: 'jwt' }, { format: 'cbor' }], tag: 'limits-anon' });
  const anonInput = { jwt: jwtForm(anon.token), cborHex: hex(cborForm(anon.token)) };
  at(anonInput, { maxLayers: 3 }, 'three links and a proof: maxLayers = 3 (the proof is not a layer)', ['AtLimit'], { valid: anon.path }, aggregateExtras(anon));
  at(anonInput, { maxLayers: 2 }, 'three links and a proof: maxLayers = 2', ['LayerCountBomb'], { code: 'ERR_LIMIT_EXCEEDED' });

  for (const format of ['jwt', 'cbor'] as LayerFormat[]) {
    const data = { deep: nested(5), list: Array.from({ length: 20 }, (_, i) => i), text: 'x'.repeat(100) };
    const rich = await idChain(cast, { roles: hops(1), formats: [format], tag: `rich-${format}`, rootClaims: { data } as Claims });
    const claims = rich.token.layers[0]!.claims;
    const input = { jwt: jwtForm(rich.token), cborHex: hex(cborForm(rich.token)) };
    boundary(rich, input, 'maxClaimDepth', deepest(claims) + 1, 'ERR_LIMIT_EXCEEDED', `a ${format} root whose claims nest ${deepest(claims)} levels below the claims object`, 0);
    boundary(rich, input, 'maxClaimItems', items(claims), 'ERR_LIMIT_EXCEEDED', `a ${format} root with ${items(claims)} members and items`, 0);
    boundary(rich, input, 'maxStringLength', longest(claims), 'ERR_LIMIT_EXCEEDED', `a ${format} root whose longest string is ${longest(claims)} characters`, 0);
  }
  const withWit = await idChain(cast, { roles: hops(2), formats: ['jwt', 'cbor'], tag: 'wit', documents: { 0: await issueIdentityDocument({ authority: cast.key('authority'), subject: 'spiffe://example.org/idp', key: cast.key('idp').publicKey, expiresAt: NOW + HOUR }) } });
  const bundleFirst = { ...withWit.path, hops: withWit.path.hops.map((h) => ({ ...h, via: 'trust-bundle' as const })) };
  const witLength = ([...withWit.token.documents!.values()][0] as { wit: string }).wit.length;
  at({ jwt: jwtForm(withWit.token), cborHex: hex(cborForm(withWit.token)) }, { maxStringLength: witLength }, `a wit of ${witLength} characters: maxStringLength = ${witLength}`, ['AtLimit'], { valid: bundleFirst });
  at({ jwt: jwtForm(withWit.token), cborHex: hex(cborForm(withWit.token)) }, { maxStringLength: witLength - 1 }, `a wit of ${witLength} characters: maxStringLength = ${witLength - 1}`, ['LongString'], { code: 'ERR_LIMIT_EXCEEDED' });
  for (const [limits, what] of [[{ maxLayers: 0 }, 'maxLayers = 0'], [{ maxTokenBytes: -1 }, 'maxTokenBytes = -1'], [{ maxClaimDepth: 1.5 }, 'maxClaimDepth = 1.5']] as const) {
    at({ jwt }, limits, `a verifier limit option ${what}`, ['InvalidLimitOption'], { code: 'ERR_USAGE' });
  }

  // Bombs against the default limits (spec §7.1 defaults).
  const kit = rootKit(cast);
  const idp = cast.key('idp');
  const bomb = (input: { jwt?: string; cborHex?: string; text?: string }, comment: string, flags: string[], expect: Expectation) => g.add({ comment, flags, now: NOW, ...input, expect });
  const jwsWith = async (data: string) => signedJws(kit.headerText, canonicalJson({ ...kit.claims, data: '\u0000' }).replace('"\\u0000"', data), idp);
  const coseWith = async (data: unknown) => signedCose(encode(coseProtectedMap(kit.header)), encode(cwtClaimsMap({ ...kit.claims, data: data as never })), idp);
  const asCbor = async (bytes: Uint8Array) => hex(encode(new Tagged(TAG_NESTOKEN, [[], [bytes]])));
  bomb({ jwt: 'a'.repeat(262_145) }, '262,145 characters: one more than the default maxTokenBytes', ['Oversized'], { code: 'ERR_INPUT_TOO_LARGE' });
  bomb({ jwt: `eyJ${'A'.repeat(16_400)}.e30.AA` }, 'a JWT layer of 16,409 characters: beyond the default maxLayerBytes, refused before it is parsed', ['Oversized'], { code: 'ERR_INPUT_TOO_LARGE', layer: 0 });
  bomb({ jwt: 'x~'.repeat(129) }, '129 separators: more layers than the default maxLayers, counted before splitting', ['LayerCountBomb'], { code: 'ERR_LIMIT_EXCEEDED' });
  bomb({ cborHex: hex(encode(new Tagged(TAG_NESTOKEN, [[], Array.from({ length: 129 }, () => new Uint8Array(0))]))) }, '129 empty layers in the CBOR form, counted before any is decoded', ['LayerCountBomb'], { code: 'ERR_LIMIT_EXCEEDED' });
  const deepJson = `${'['.repeat(40)}${']'.repeat(40)}`;
  bomb({ jwt: await jwsWith(deepJson) }, 'data nested 40 arrays deep (JSON)', ['DepthBomb'], { code: 'ERR_LIMIT_EXCEEDED', layer: 0 });
  bomb({ cborHex: await asCbor(await coseWith(nested(40))) }, 'data nested 40 arrays deep (CBOR)', ['DepthBomb'], { code: 'ERR_LIMIT_EXCEEDED', layer: 0 });
  bomb({ cborHex: hex(concat([0xda, 0x7b, 0x2d, 0x00, 0x01], new Uint8Array(1000).fill(0x81))) }, 'the CBOR container nested 1,000 arrays deep', ['DepthBomb'], { code: 'ERR_LIMIT_EXCEEDED' });
  const deepProtected = concat([0xa1, 0x01], new Uint8Array(200).fill(0x81), [0x00]);
  const deepLayer = concat([0xd2, 0x84], encode(deepProtected), [0xa0], encode(encode(cwtClaimsMap(kit.claims))), encode(new Uint8Array(64)));
  bomb({ cborHex: await asCbor(deepLayer) }, 'a protected header nested 200 arrays deep', ['DepthBomb'], { code: 'ERR_LIMIT_EXCEEDED', layer: 0 });
  const wide = `[${Array.from({ length: 1100 }, () => '0').join(',')}]`;
  bomb({ jwt: await jwsWith(wide) }, 'data with 1,100 items (JSON)', ['CountBomb'], { code: 'ERR_LIMIT_EXCEEDED', layer: 0 });
  bomb({ cborHex: await asCbor(await coseWith(Array.from({ length: 1100 }, () => 0))) }, 'data with 1,100 items (CBOR)', ['CountBomb'], { code: 'ERR_LIMIT_EXCEEDED', layer: 0 });
  bomb({ jwt: await jwsWith(JSON.stringify('y'.repeat(8193))) }, 'a data string of 8,193 characters', ['LongString'], { code: 'ERR_LIMIT_EXCEEDED', layer: 0 });
  bomb({ jwt: await jwsWith(`{${JSON.stringify('k'.repeat(8193))}:1}`) }, 'a member name of 8,193 characters', ['LongString'], { code: 'ERR_LIMIT_EXCEEDED', layer: 0 });

  return file.finish({
    topic: 'limits',
    algorithm: 'Ed25519, nst-r255',
    header: [
      'Limits (spec §7.1): each bound at its value (valid) and one below what the input needs (invalid), set in options.limits; bombs against the defaults.',
      'Inputs are kept small by lowering the limits; only one input is stored at full size (262,145 characters).',
    ],
  });
}
