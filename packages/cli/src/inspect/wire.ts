import { decode, encode, Tagged } from 'cborg';
import { detectForm, layerDigest, type LayerFormat, type TokenForm } from '@nestoken/core';

/**
 * A token read as it sits on the wire, without judging it: what `inspect` shows of tokens
 * that core refuses. Every value here is for display only; nothing is checked or trusted.
 */
export interface WireLayer {
  readonly format: LayerFormat;
  /** The exact bytes of the layer, as the next layer's `prv` hashes them. */
  readonly bytes: Uint8Array;
  readonly header?: Record<string, unknown>;
  readonly claims?: Record<string, unknown>;
  readonly signatureLength?: number;
  /** What of the layer could not be read. */
  readonly problem?: string;
}

/** An identity document of the documents section (spec §4.6.2), for display. */
export interface WireDocument {
  /** base64url SHA-256 of its bytes: what a layer's `doc` names. */
  readonly digest: string;
  readonly summary: string;
}

export interface WireToken {
  readonly form: TokenForm;
  readonly layers: readonly WireLayer[];
  readonly proof?: Uint8Array;
  readonly documents?: readonly WireDocument[];
  /** Why the container could not be read (its layers may then be missing). */
  readonly problem?: string;
}

const TAG_COSE_SIGN1 = 18;
const TAG_NESTOKEN = 0x7b2d0002;
const TAG_NESTOKEN_V1 = 0x7b2d0001;
const COSE_SIGN1_HEAD = 0xd2;

const tags: Record<number, (d: () => unknown) => unknown> = [] as never;
tags[TAG_COSE_SIGN1] = (d) => new Tagged(TAG_COSE_SIGN1, d());
tags[TAG_NESTOKEN] = (d) => new Tagged(TAG_NESTOKEN, d());
tags[TAG_NESTOKEN_V1] = (d) => new Tagged(TAG_NESTOKEN_V1, d());

/** Lenient on purpose: duplicate keys, odd encodings and unknown simple values still show. */
const readCbor = (bytes: Uint8Array): unknown => decode(bytes, { useMaps: true, tags, allowUndefined: true, allowIndefinite: true });

/** COSE header labels and CWT claim keys shown by name (RFC 9052, RFC 8392); others by number. */
const HEADER_LABELS = new Map<unknown, string>([[1, 'alg'], [2, 'crit'], [4, 'kid'], [16, 'typ'], [33, 'x5chain']]);
const CLAIM_KEYS = new Map<unknown, string>([[1, 'iss'], [2, 'sub'], [3, 'aud'], [4, 'exp'], [5, 'nbf'], [6, 'iat'], [7, 'jti'], [8, 'cnf']]);
const COSE_ALGS = new Map<unknown, string>([[-19, 'Ed25519'], [-8, 'EdDSA'], [-7, 'ES256']]);

const MAX_DISPLAY_DEPTH = 24;

/** A CBOR value as JSON-like display data: bytes as base64url, maps as objects, depth capped. */
export function displayValue(v: unknown, depth = 0): unknown {
  if (depth > MAX_DISPLAY_DEPTH) return '…';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64url');
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined) return 'undefined';
  if (v instanceof Tagged) return { [`tag ${v.tag}`]: displayValue(v.value, depth + 1) };
  if (Array.isArray(v)) return v.map((x) => displayValue(x, depth + 1));
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [typeof k === 'string' ? k : String(k), displayValue(x, depth + 1)]));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, displayValue(x, depth + 1)]));
  return v;
}

function named(map: unknown, labels: Map<unknown, string>): Record<string, unknown> {
  if (!(map instanceof Map)) return { '(not a map)': displayValue(map) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of map) out[labels.get(k) ?? (typeof k === 'string' ? k : `#${String(k)}`)] = v;
  return out;
}

function coseHeader(protectedBytes: Uint8Array): Record<string, unknown> {
  // Nothing sent is the empty byte string (RFC 9052 §3): every member is implied (spec §4.6).
  if (protectedBytes.length === 0) return {};
  const h = named(readCbor(protectedBytes), HEADER_LABELS);
  if (COSE_ALGS.has(h.alg)) h.alg = `${COSE_ALGS.get(h.alg)} (${String(h.alg)})`;
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, displayValue(v)]));
}

function cwtClaims(payload: Uint8Array): Record<string, unknown> {
  const c = named(readCbor(payload), CLAIM_KEYS);
  // cti is bytes on the wire and text in the model.
  if (c.jti instanceof Uint8Array) c.jti = Buffer.from(c.jti).toString('utf8');
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, displayValue(v)]));
}

function attempt<T extends object>(f: () => T): T | { problem: string } {
  try {
    return f();
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

function coseLayer(bytes: Uint8Array): WireLayer {
  const read = attempt(() => {
    const outer = readCbor(bytes);
    if (!(outer instanceof Tagged) || outer.tag !== TAG_COSE_SIGN1 || !Array.isArray(outer.value)) return { problem: 'not a tagged COSE_Sign1' };
    const [protectedBytes, , payload, signature] = outer.value as unknown[];
    if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array)) return { problem: 'COSE_Sign1 fields have the wrong types' };
    return {
      header: coseHeader(protectedBytes),
      claims: cwtClaims(payload),
      ...(signature instanceof Uint8Array ? { signatureLength: signature.length } : {}),
    };
  });
  return { format: 'cbor', bytes, ...read };
}

const jsonPart = (part: string): Record<string, unknown> => {
  const v = displayValue(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { '(not an object)': v };
};

function jwsLayer(text: string): WireLayer {
  const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
  const parts = text.split('.');
  if (parts.length !== 3) return { format: 'jwt', bytes, problem: `a JWS has 3 parts, this has ${parts.length}` };
  // Header and payload separately: a broken payload should not hide a readable header.
  // An empty header part sends nothing: every member is implied (spec §4.6).
  const header = attempt(() => ({ header: parts[0] === '' ? {} : jsonPart(parts[0]!) }));
  const claims = attempt(() => ({ claims: jsonPart(parts[1]!) }));
  const problems = [header, claims].flatMap((r, i) => ('problem' in r ? [`${i === 0 ? 'header' : 'payload'}: ${r.problem}`] : []));
  return {
    format: 'jwt',
    bytes,
    ...('header' in header ? header : {}),
    ...('claims' in claims ? claims : {}),
    signatureLength: Buffer.from(parts[2]!, 'base64url').length,
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
  };
}

const isAggregateRoot = (layer: WireLayer | undefined): boolean => layer?.header?.alg === 'nst-r255';

/** A document as the wire holds it: a WIT's text, or a chain's CBOR array of DER certificates. */
function wireDocument(bytes: Uint8Array, wit: string | undefined): WireDocument {
  const digest = layerDigest(bytes);
  if (wit !== undefined) {
    try {
      const claims = JSON.parse(Buffer.from(wit.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
      return { digest, summary: `WIT, ${wit.length} chars${claims.sub === undefined ? '' : `, sub ${String(claims.sub)}`}` };
    } catch {
      return { digest, summary: `WIT, ${wit.length} chars, unreadable` };
    }
  }
  const chain = attempt(() => ({ value: readCbor(bytes) }));
  const count = 'value' in chain && Array.isArray(chain.value) ? `${chain.value.length} certificate(s)` : 'unreadable';
  return { digest, summary: `X.509-SVID chain, ${count}, ${bytes.length} bytes` };
}

function readText(whole: string): WireToken {
  const [text, ...documentParts] = whole.split('!');
  const documents = documentParts.map((d) => (d.includes('.') ? wireDocument(new Uint8Array(Buffer.from(d, 'latin1')), d) : wireDocument(new Uint8Array(Buffer.from(d, 'base64url')), undefined)));
  const withDocuments = documents.length > 0 ? { documents } : {};
  const parts = text!.split('~');
  const layers = parts.map((part): WireLayer => {
    if (part.includes('.')) return jwsLayer(part);
    const bytes = new Uint8Array(Buffer.from(part, 'base64url'));
    return bytes[0] === COSE_SIGN1_HEAD ? coseLayer(bytes) : { format: 'cbor', bytes, problem: 'neither a JWS nor a COSE_Sign1' };
  });
  // As in core: an aggregate chain (its root says so) ends with its proof, not with a layer.
  if (parts.length > 1 && isAggregateRoot(layers[0]) && !parts[parts.length - 1]!.includes('.')) {
    return { form: 'jwt', layers: layers.slice(0, -1), proof: layers[layers.length - 1]!.bytes, ...withDocuments };
  }
  return { form: 'jwt', layers, ...withDocuments };
}

function readBinary(bytes: Uint8Array): WireToken {
  const outer = attempt(() => ({ value: readCbor(bytes) }));
  if ('problem' in outer) return { form: 'cbor', layers: [], problem: `not CBOR: ${outer.problem}` };
  const v = outer.value;
  if (v instanceof Tagged && v.tag === TAG_NESTOKEN_V1) return { form: 'cbor', layers: [], problem: 'a nestoken format version 1 container (tag 0x7b2d0001), no longer read' };
  if (!(v instanceof Tagged) || v.tag !== TAG_NESTOKEN || !Array.isArray(v.value) || !Array.isArray(v.value[0]) || !Array.isArray(v.value[1])) {
    return { form: 'cbor', layers: [], problem: 'not a nestoken container (tag 0x7b2d0002 over [documents, layers, proof?])' };
  }
  const [rawDocuments, rawLayers, proof] = v.value as [unknown[], unknown[], unknown];
  const documents = rawDocuments.map((d) =>
    typeof d === 'string' ? wireDocument(new Uint8Array(Buffer.from(d, 'latin1')), d) : wireDocument(new Uint8Array(encode(d)), undefined),
  );
  const layers = rawLayers.map((raw): WireLayer => {
    if (typeof raw === 'string') return jwsLayer(raw);
    if (raw instanceof Uint8Array) return coseLayer(raw);
    return { format: 'cbor', bytes: new Uint8Array(0), problem: 'a layer is a byte string (COSE) or text (JWS)' };
  });
  return { form: 'cbor', layers, ...(proof instanceof Uint8Array ? { proof } : {}), ...(documents.length > 0 ? { documents } : {}) };
}

/** Reads either form, as `readToken` handed it over: bytes are raw CBOR, text is either form. */
export function readWire(input: string | Uint8Array): WireToken {
  if (typeof input !== 'string') return readBinary(input);
  if (detectForm(input) === 'cbor') return readBinary(new Uint8Array(Buffer.from(input, 'base64url')));
  return readText(input);
}
