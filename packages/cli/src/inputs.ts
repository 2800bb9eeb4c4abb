import {
  detectForm,
  importPrivateJwk,
  importPublicJwk,
  createTrustBundle,
  isNestokenError,
  loadBundleMap,
  loadSignerJwks,
  loadWitIssuers,
  mergeTrustBundles,
  type Claims,
  type PublicKey,
  type SignerJwksOptions,
  type SigningKey,
  type TrustBundle,
} from '@nestoken/core';
import type { Io } from './command.js';
import { describeShape, NOT_A_TOKEN, shapeOf } from './input-shape.js';
import { usageError } from './usage-error.js';

/** A file, or standard input when the path is absent or `-`. */
export async function readInput(io: Io, path: string | undefined): Promise<Uint8Array> {
  return path === undefined || path === '-' ? io.stdin() : io.readFile(path);
}

export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) usageError(`${flag} is required`);
  return value;
}

const isAsciiSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isPrintable = (b: number): boolean => b >= 0x21 && b <= 0x7e;

/**
 * A token as core wants it: raw CBOR stays bytes; text (JWT form, or CBOR as base64url) is
 * trimmed of the white space files and pipes add and handed over as a string, where core
 * detects which of the two it is. Anything else goes to core as bytes, to be refused there.
 */
export async function readToken(io: Io, path: string | undefined): Promise<string | Uint8Array> {
  const bytes = await readInput(io, path);
  if (bytes.length === 0) usageError('no token: give --in FILE or pipe one on standard input');
  if (detectForm(bytes) === 'cbor') return bytes;
  await rejectForeign(bytes, path);
  let start = 0;
  let end = bytes.length;
  while (start < end && isAsciiSpace(bytes[start]!)) start++;
  while (end > start && isAsciiSpace(bytes[end - 1]!)) end--;
  const text = bytes.subarray(start, end);
  return text.every(isPrintable) ? Buffer.from(text).toString('latin1') : text;
}

const TOKEN_LOOKS = 'a token is base64url parts joined by . and ~ (JWT form), or CBOR, raw or as base64url';

/** A file of another kind (a key, a bundle, a crate) is named as such instead of failing as a malformed token. */
async function rejectForeign(bytes: Uint8Array, path: string | undefined): Promise<void> {
  const first = bytes.find((b) => !isAsciiSpace(b));
  // Tokens start with a base64url character; only inputs that cannot be one are looked at closely.
  const suspicious = first === 0x7b || first === 0x5b || first === 0x2d || !bytes.every((b) => isPrintable(b) || isAsciiSpace(b));
  if (!suspicious) return;
  const shape = await shapeOf(bytes);
  if (NOT_A_TOKEN.has(shape)) usageError(`expected a token, but ${inputName(path)} is ${describeShape(shape, bytes)}; ${TOKEN_LOOKS}`);
}

/** Where an input came from, for messages. */
export const inputName = (path: string | undefined): string => (path === undefined || path === '-' ? 'standard input' : path);

export async function readText(io: Io, path: string): Promise<string> {
  return new TextDecoder().decode(await readInput(io, path)).trim();
}

export async function readPrivateKey(io: Io, path: string): Promise<SigningKey> {
  return importPrivateJwk(await readText(io, path));
}

/** A public JWK file; a private one works too, only its public part is read. */
export async function readPublicKey(io: Io, path: string): Promise<PublicKey> {
  return importPublicJwk(await readText(io, path));
}

/** A signer JWKS file; a key or a token given instead is named as such. */
async function readSigners(bytes: Uint8Array, path: string, scope: SignerJwksOptions): Promise<TrustBundle> {
  try {
    return loadSignerJwks(bytes, scope);
  } catch (e) {
    const shape = isNestokenError(e, 'ERR_TRUST_BUNDLE') ? await shapeOf(bytes) : 'other';
    if (shape === 'other' || shape === 'bundle' || shape === 'json') throw e;
    return usageError(`expected a trust bundle ({"keys": [JWK, ...]}), but ${inputName(path)} is ${describeShape(shape, bytes)}`);
  }
}

/** The trust flags every verifying command takes (spec §5.1): one file kind per flag, so a key's role is never guessed. */
export const TRUST_OPTIONS = {
  trust: { type: 'string', multiple: true, value: 'SIGNERS.jwks', description: 'a JWKS of direct layer signers; several are merged' },
  'trust-domain': { type: 'string', value: 'TD', description: 'the trust domain of every --trust signer', defaultText: "each signer's own sub" },
  'spiffe-bundle': { type: 'string', multiple: true, value: 'TD=FILE', description: 'the SPIFFE bundle of trust domain TD (key use decides the role)' },
  'wit-issuers': { type: 'string', multiple: true, value: 'TD=FILE', description: 'a plain JWKS of WIT issuers for trust domain TD' },
} as const;

export const TRUST_USAGE = '--trust SIGNERS.jwks... [--trust-domain TD] | --spiffe-bundle TD=FILE... | --wit-issuers TD=FILE...';

export interface TrustFlags {
  readonly trust?: string[] | undefined;
  readonly 'trust-domain'?: string | undefined;
  readonly 'spiffe-bundle'?: string[] | undefined;
  readonly 'wit-issuers'?: string[] | undefined;
}

function domainAndPath(value: string, flag: string): [string, string] {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) usageError(`${flag} takes TRUST_DOMAIN=FILE`);
  return [value.slice(0, eq), value.slice(eq + 1)];
}

/**
 * `--trust` files are JWKS of direct layer signers, scoped to `--trust-domain` when given (else
 * each signer to the domain its own `sub` names: the operator's own file); `--spiffe-bundle
 * TD=FILE` is the SPIFFE bundle of one trust domain; `--wit-issuers TD=FILE` a plain JWKS of
 * WIT issuers for one. Everything merges under the rules of one bundle.
 */
export async function readTrust(io: Io, flags: TrustFlags): Promise<TrustBundle> {
  const signerFiles = flags.trust ?? [];
  const spiffe = (flags['spiffe-bundle'] ?? []).map((v) => domainAndPath(v, '--spiffe-bundle'));
  const issuers = (flags['wit-issuers'] ?? []).map((v) => domainAndPath(v, '--wit-issuers'));
  if (signerFiles.length + spiffe.length + issuers.length === 0) usageError('--trust is required (or --spiffe-bundle / --wit-issuers)');
  const td = flags['trust-domain'];
  const scope = td === undefined ? { trustDomainFromSub: true as const } : { trustDomain: td };
  const bundles: TrustBundle[] = [];
  for (const p of signerFiles) bundles.push(await readSigners(await readInput(io, p), p, scope));
  const map = new Map<string, Uint8Array>();
  for (const [domain, p] of spiffe) {
    if (map.has(domain)) usageError(`--spiffe-bundle names ${domain} twice`);
    map.set(domain, await readInput(io, p));
  }
  if (map.size > 0) bundles.push(loadBundleMap(map));
  for (const [domain, p] of issuers) bundles.push(loadWitIssuers(await readInput(io, p), { trustDomain: domain }));
  return bundles.length === 1 ? bundles[0]! : mergeTrustBundles(createTrustBundle({}), ...bundles);
}

/** `--claims` is JSON text, or `@FILE` holding it. Core checks the members; here only the shape. */
export async function readClaims(io: Io, arg: string | undefined): Promise<Claims> {
  if (arg === undefined) return {};
  const text = arg.startsWith('@') ? await readText(io, arg.slice(1)) : arg;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return usageError('--claims is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) usageError('--claims must be a JSON object');
  return value as Claims;
}

/** A whole, non-negative number of seconds. */
export function parseSeconds(value: string, flag: string): number {
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) usageError(`${flag} must be a whole number of seconds`);
  return n;
}

export function parseChoice<T extends string>(value: string | undefined, choices: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) usageError(`${flag} must be one of ${choices.join(', ')}`);
  return value as T;
}

export const nowSeconds = (flag: string | undefined): number =>
  flag === undefined ? Math.floor(Date.now() / 1000) : parseSeconds(flag, '--now');
