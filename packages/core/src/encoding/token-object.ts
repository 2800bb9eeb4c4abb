import type { LayerFormat } from './layer.js';
import { documentBytes, type IdentityDocument } from './documents.js';
import type { TokenBytes } from './token.js';
import { fail, NestokenError } from '../errors.js';
import type { Limits } from '../limits.js';

/** Bytes of a CBOR item head for an argument of `n` (RFC 8949 §3). */
const headBytes = (n: number): number => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9);

/** The tag 0x7b2d0002 (5 bytes), the head of `[documents, layers, proof?]` (1 byte) and of the documents array (at least 1). */
const CONTAINER_BYTES = 7;

const usage = (message: string): never => fail('ERR_USAGE', `a token is a string, bytes or a Token: ${message}`);

function read<T>(what: string, get: () => T): T {
  try {
    return get();
  } catch (cause) {
    throw new NestokenError('ERR_USAGE', `the token object could not be read (${what})`, { cause });
  }
}

/**
 * A `Token` object is encoded into the CBOR form before it is decoded like wire input (spec
 * §2.5), so its bounds must be checked first, from lengths alone: the layer count before any
 * layer is read, the encoded size before any byte is copied. The size is the exact length of
 * the CBOR form (for ASCII JWT layers; more otherwise), so the object fails with the code its
 * encoded form would get: `ERR_INPUT_TOO_LARGE` when the encoding would exceed `maxTokenBytes`,
 * else `ERR_LIMIT_EXCEEDED` for too many layers. The count of layers whose lengths are read is
 * at most `maxTokenBytes` (each encoded layer takes at least one byte). Returns one reading of
 * the object: later work never sees a getter answer differently.
 */
export function checkTokenObject(input: unknown, limits: Limits): TokenBytes {
  if (typeof input !== 'object' || input === null) return usage(`got ${input === null ? 'null' : typeof input}`);
  const layers = read('layers', () => (input as { layers?: unknown }).layers);
  const proof = read('proof', () => (input as { proof?: unknown }).proof);
  const documents = read('documents', () => (input as { documents?: unknown }).documents);
  if (documents !== undefined && !(documents instanceof Map)) return usage('documents is not a Map of identity documents by digest');
  if (!Array.isArray(layers)) return usage('layers is not an array');
  if (proof !== undefined && !(proof instanceof Uint8Array)) return usage('proof is not a Uint8Array');
  const count = read('layers.length', () => layers.length);
  const proofBytes = proof === undefined ? 0 : headBytes(proof.length) + proof.length;
  let size = CONTAINER_BYTES + headBytes(count) + count + proofBytes;
  if (size > limits.maxTokenBytes) fail('ERR_INPUT_TOO_LARGE', `the token's CBOR form would be at least ${size} bytes, above the limit of ${limits.maxTokenBytes}`);
  const snapshot: Array<{ format: LayerFormat; bytes: Uint8Array }> = [];
  for (let i = 0; i < count; i++) {
    const layer = read(`layer ${i}`, () => layers[i] as unknown);
    if (typeof layer !== 'object' || layer === null) return usage(`layer ${i} is not an object`);
    const bytes = read(`layer ${i}`, () => (layer as { bytes?: unknown }).bytes);
    const format = read(`layer ${i}`, () => (layer as { format?: unknown }).format);
    if (!(bytes instanceof Uint8Array)) return usage(`layer ${i} has no bytes`);
    if (format !== 'jwt' && format !== 'cbor') return usage(`layer ${i} has no format (jwt or cbor)`);
    size += headBytes(bytes.length) + bytes.length - 1;
    if (size > limits.maxTokenBytes) fail('ERR_INPUT_TOO_LARGE', `the token's CBOR form would be above the limit of ${limits.maxTokenBytes} bytes`);
    // Only format and bytes: which document a layer names is read from its bytes when the token is written.
    snapshot.push({ format, bytes });
  }
  // The documents section: each held document at most once, bounded by its bytes like a layer.
  const held = new Map<string, IdentityDocument>();
  if (documents !== undefined) {
    for (const [digest, document] of read('documents', () => [...(documents as Map<unknown, unknown>)])) {
      if (typeof digest !== 'string' || typeof document !== 'object' || document === null) return usage('documents maps digests to { wit } or { x5c }');
      const n = read('a document', () => documentBytes(document as IdentityDocument).length);
      size += headBytes(n) + n;
      if (size > limits.maxTokenBytes) fail('ERR_INPUT_TOO_LARGE', `the token's CBOR form would be above the limit of ${limits.maxTokenBytes} bytes`);
      held.set(digest, document as IdentityDocument);
    }
  }
  if (count > limits.maxLayers) fail('ERR_LIMIT_EXCEEDED', `more than ${limits.maxLayers} layers`);
  const withDocuments = held.size > 0 ? { documents: held } : {};
  return proof === undefined ? { layers: snapshot, ...withDocuments } : { layers: snapshot, proof, ...withDocuments };
}
