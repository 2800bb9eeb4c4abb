import { decodeToken, DEFAULT_LIMITS, detectForm, isNestokenError } from '@nestoken/core';

/**
 * What an input looks like, in words a person recognises, for the message when a command is
 * given the wrong kind of file: a key or a trust bundle where a token belongs, a token where a
 * crate belongs. Every probe is one of the bounded decoders; none throws out of here.
 */
export type Shape = 'empty' | 'jwk' | 'bundle' | 'vectors' | 'json' | 'pem' | 'token' | 'crate' | 'jws' | 'other';

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

async function attempt(f: () => unknown): Promise<boolean> {
  try {
    await f();
    return true;
  } catch (e) {
    if (isNestokenError(e) || e instanceof RangeError || e instanceof TypeError || e instanceof SyntaxError) return false;
    throw e;
  }
}

function jsonShape(text: string): Shape | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'json';
  if ('kty' in value) return 'jwk';
  if ('keys' in value) return 'bundle';
  if ('testGroups' in value) return 'vectors';
  return 'json';
}

/** Async because the crate probe loads the crate stack, which only a misplaced file makes worth it. */
export async function shapeOf(bytes: Uint8Array): Promise<Shape> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim();
  if (text === '') return 'empty';
  if (text.startsWith('{') || text.startsWith('[')) return jsonShape(text) ?? 'other';
  if (text.startsWith('-----BEGIN')) return 'pem';
  const printable = /^[\x21-\x7e]+$/.test(text);
  const asToken = detectForm(bytes) === 'cbor' || !printable ? bytes : text;
  if (await attempt(() => decodeToken(asToken, DEFAULT_LIMITS))) return 'token';
  if (await attempt(async () => (await import('@nestoken/crate')).decodeCrate(printable ? text : bytes))) return 'crate';
  if (printable && JWS.test(text)) return 'jws';
  return 'other';
}

/** The shape in words, with what to do with such a file where the shape says. */
export function describeShape(shape: Shape, bytes: Uint8Array): string {
  switch (shape) {
    case 'empty':
      return 'empty';
    case 'jwk':
      return 'a JSON Web Key (keys go to --key, --aud-key or --audience)';
    case 'bundle':
      return 'a JSON document with "keys", a trust bundle (bundles go to --trust)';
    case 'vectors':
      return 'a test-vector file (nestoken vectors check reads those)';
    case 'json':
      return 'a JSON document';
    case 'pem':
      return 'PEM text, a certificate or key';
    case 'token':
      return `a nestoken token in ${detectForm(bytes) === 'cbor' ? 'CBOR' : 'JWT'} form (nestoken verify and nestoken inspect read tokens)`;
    case 'crate':
      return 'a crate (nestoken crate verify and nestoken crate show read crates)';
    case 'jws':
      return 'a single JWT, not a nestoken chain (its header does not name a nestoken layer)';
    default: {
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 24));
      return /^[\x20-\x7e]*$/.test(text) ? `text starting ${JSON.stringify(text)}` : `${bytes.length} bytes of binary data`;
    }
  }
}

/** Shapes that are certainly not a token: reading them as one would only give a puzzling code. */
export const NOT_A_TOKEN: ReadonlySet<Shape> = new Set(['jwk', 'bundle', 'vectors', 'json', 'pem', 'crate']);
