import type { Claims, IssueMode, LayerFormat } from '@nestoken/core';
import type { Io } from './command.js';
import { nowSeconds, parseChoice, parseSeconds, readClaims, readText } from './inputs.js';
import { TOKEN_OUTPUT_OPTIONS, TOKEN_OUTPUT_USAGE } from './token-output.js';
import { usageError } from './usage-error.js';

/** The flags of the commands that sign a new layer (issue, extend). */
export const LAYER_OPTIONS = {
  key: { type: 'string' },
  'aud-key': { type: 'string' },
  claims: { type: 'string' },
  format: { type: 'string' },
  mode: { type: 'string' },
  wit: { type: 'string' },
  ttl: { type: 'string' },
  now: { type: 'string' },
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
