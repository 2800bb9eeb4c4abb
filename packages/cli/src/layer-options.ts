import type { Claims, IssueMode, LayerFormat } from '@nestoken/core';
import type { Io } from './command.js';
import { nowSeconds, parseChoice, parseSeconds, readClaims, readText } from './inputs.js';
import { TOKEN_OUTPUT_OPTIONS, TOKEN_OUTPUT_USAGE } from './token-output.js';
import { usageError } from './usage-error.js';

/** The flags of the commands that sign a new layer (issue, extend). */
export const LAYER_OPTIONS = {
  key: { type: 'string', value: 'KEY', description: 'the private JWK file this hop signs with' },
  'aud-key': { type: 'string', value: 'PUB', description: 'the public JWK file of the next hop, the only key that may extend (ID mode)' },
  claims: { type: 'string', value: 'JSON|@FILE', description: "the layer's claims as a JSON object, or @FILE to read them from a file", defaultText: '{}' },
  format: { type: 'string', choices: ['jwt', 'cbor'], description: 'the encoding of the new layer (JWS or COSE_Sign1)', defaultText: 'jwt for issue, the received form for extend' },
  mode: { type: 'string', choices: ['id', 'anon', 'hybrid'], description: 'ID mode (a signature per layer), anonymous or hybrid aggregate', defaultText: 'id, or read off the chain' },
  wit: { type: 'string', value: 'FILE', description: 'an identity document (WIT or JWT-SVID) the hop presents with its layer' },
  ttl: { type: 'string', value: 'SECONDS', description: 'set iat to now and exp to now + SECONDS (never past the chain it extends)' },
  now: { type: 'string', value: 'SECONDS', description: 'the time --ttl counts from, in Unix seconds', defaultText: 'the clock' },
  ...TOKEN_OUTPUT_OPTIONS,
} as const;

export const LAYER_USAGE = `[--claims JSON|@FILE] [--ttl SECONDS] [--now SECONDS] [--format jwt|cbor] [--wit FILE] ${TOKEN_OUTPUT_USAGE}`;

export const MODES: readonly IssueMode[] = ['id', 'anon', 'hybrid'];

interface LayerFlags {
  readonly claims?: string | undefined;
  readonly format?: string | undefined;
  readonly mode?: string | undefined;
  readonly wit?: string | undefined;
  readonly ttl?: string | undefined;
  readonly now?: string | undefined;
}

export const parseFormat = (flags: LayerFlags): LayerFormat | undefined => parseChoice(flags.format, ['jwt', 'cbor'] as const, '--format');
export const parseMode = (flags: LayerFlags): IssueMode | undefined => parseChoice(flags.mode, MODES, '--mode');

/**
 * The layer's claims: `--claims`, plus `iat` and `exp` when `--ttl` is given. `ceiling` is the
 * expiry of the chain being extended: a layer can only narrow the lifetime it received, so the
 * convenience never produces a layer that widens it.
 */
export async function layerClaims(io: Io, flags: LayerFlags, ceiling?: number): Promise<Claims> {
  const claims = await readClaims(io, flags.claims);
  if (flags.ttl === undefined) {
    if (flags.now !== undefined) usageError('--now only sets the time --ttl counts from');
    return claims;
  }
  if ('exp' in claims || 'iat' in claims) usageError('--ttl sets iat and exp; leave them out of --claims');
  const now = nowSeconds(flags.now);
  const exp = now + parseSeconds(flags.ttl, '--ttl');
  return { ...claims, iat: now, exp: ceiling === undefined ? exp : Math.min(exp, ceiling) };
}

/** The identity document a hop presents with its layer (a WIT or JWT-SVID, compact JWT text). */
export async function identityDocument(io: Io, flags: LayerFlags): Promise<{ identityDocument?: string }> {
  if (flags.wit === undefined) return {};
  const text = await readText(io, flags.wit);
  if (text === '') usageError(`${flags.wit} is empty`);
  return { identityDocument: text };
}
