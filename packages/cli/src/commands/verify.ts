import { hasDuplicateJsonMember, parsePathPolicy, verify as verifyToken, type PathPolicy, type RevocationQuery } from '@nestoken/core';
import { defineCommand } from '../define.js';
import type { Io } from '../command.js';
import { nowSeconds, parseSeconds, readPublicKey, readText, readToken, readTrust, TRUST_OPTIONS, TRUST_USAGE } from '../inputs.js';
import { usageError } from '../usage-error.js';
import { renderPath } from '../render-path.js';

/** `--deny` names a layer by its digest or its `jti`: the revocation hook, from the command line. */
const denyList = (denied: readonly string[]) => {
  const set = new Set(denied);
  return (q: RevocationQuery): boolean => set.has(q.digest) || (q.jti !== undefined && set.has(q.jti));
};

/** `--policy FILE`: a path policy as JSON (spec §7.10); a bad file is a usage error, like a bad flag. */
async function readPolicy(io: Io, path: string): Promise<PathPolicy> {
  let json: unknown;
  const text = await readText(io, path);
  try {
    json = JSON.parse(text);
  } catch {
    return usageError(`${path} is not a JSON path policy`);
  }
  // A rule given twice would silently keep its last value: refused, like a repeated member anywhere.
  if (hasDuplicateJsonMember(text)) return usageError(`${path} repeats a member name`);
  return parsePathPolicy(json);
}

export const verify = defineCommand({
  name: 'verify',
  summary: 'check a token against a trust bundle and print the proven path',
  usage:
    `${TRUST_USAGE} [--in FILE] (--audience PUB | --aud IDENTITY | --any-audience) [--issuer IDENTITY...] ` +
    '[--now SECONDS] [--skew SECONDS] [--deny JTI|DIGEST...] [--require-sealed] [--policy FILE] [--json]',
  options: {
    ...TRUST_OPTIONS,
    in: { type: 'string', value: 'FILE', description: 'the token to verify (either form, or raw CBOR)', defaultText: 'standard input' },
    audience: { type: 'string', value: 'PUB', description: 'the public JWK of the verifier: the last layer must hand the token to it' },
    aud: { type: 'string', value: 'IDENTITY', description: 'the identity of the verifier: the last layer must hand the token to it' },
    'any-audience': {
      type: 'boolean',
      description: 'accept a token addressed to anyone; without it, --audience or --aud is required, since otherwise a prefix of a chain handed to an earlier hop verifies too',
    },
    issuer: { type: 'string', multiple: true, value: 'IDENTITY', description: 'accept only chains whose root was issued by IDENTITY', defaultText: 'any issuer in the bundle' },
    now: { type: 'string', value: 'SECONDS', description: 'verify as of this time, in Unix seconds (not milliseconds)', defaultText: 'the clock' },
    skew: { type: 'string', value: 'SECONDS', description: 'clock skew tolerated on exp, nbf and iat, in seconds: a token is accepted until exp + skew', defaultText: '60' },
    deny: { type: 'string', multiple: true, value: 'JTI|DIGEST', description: 'treat the layer with this jti or layer digest as revoked' },
    'require-sealed': { type: 'boolean', description: 'refuse an aggregate chain that is not sealed' },
    policy: { type: 'string', value: 'FILE', description: 'a path policy as JSON (spec §7.10): which identities may appear, in which order' },
    json: { type: 'boolean', description: 'print the proven path as JSON instead of a tree' },
  },
  async run(flags, io) {
    // Flags first, then files, then the token: a usage error never waits on standard input.
    if (flags.audience === undefined && flags.aud === undefined && !flags['any-audience']) {
      return usageError('name the verifier with --audience PUB or --aud IDENTITY, or accept any audience explicitly with --any-audience');
    }
    const policy = {
      now: nowSeconds(flags.now),
      ...(flags.skew === undefined ? {} : { clockSkew: parseSeconds(flags.skew, '--skew') }),
      ...(flags.aud === undefined ? {} : { audienceIdentity: flags.aud }),
      ...(flags.issuer === undefined ? {} : { issuers: flags.issuer }),
      ...(flags.deny === undefined ? {} : { isRevoked: denyList(flags.deny) }),
      ...(flags['require-sealed'] ? { requireSealed: true } : {}),
      ...(flags['any-audience'] ? { allowAnyAudience: true } : {}),
    };
    const pathPolicy = flags.policy === undefined ? {} : { pathPolicy: await readPolicy(io, flags.policy) };
    const trust = await readTrust(io, flags);
    const audience = flags.audience === undefined ? {} : { audience: await readPublicKey(io, flags.audience) };
    const path = await verifyToken(await readToken(io, flags.in), { ...policy, ...pathPolicy, trust, ...audience });
    io.stdout(flags.json ? `${JSON.stringify(path, null, 2)}\n` : renderPath(path));
    return 0;
  },
});
