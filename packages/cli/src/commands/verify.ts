import { verify as verifyToken, type RevocationQuery } from '@nestoken/core';
import { defineCommand } from '../define.js';
import { nowSeconds, parseSeconds, readPublicKey, readToken, readTrust, TRUST_OPTIONS, TRUST_USAGE } from '../inputs.js';
import { renderPath } from '../render-path.js';

/** `--deny` names a layer by its digest or its `jti`: the revocation hook, from the command line. */
const denyList = (denied: readonly string[]) => {
  const set = new Set(denied);
  return (q: RevocationQuery): boolean => set.has(q.digest) || (q.jti !== undefined && set.has(q.jti));
};

export const verify = defineCommand({
  name: 'verify',
  summary: 'check a token against a trust bundle and print the proven path',
  usage:
    `${TRUST_USAGE} [--in FILE] [--audience PUB] [--aud IDENTITY] [--issuer IDENTITY...] ` +
    '[--now SECONDS] [--skew SECONDS] [--deny JTI|DIGEST...] [--require-sealed] [--json]',
  options: {
    ...TRUST_OPTIONS,
    in: { type: 'string' },
    audience: { type: 'string' },
    aud: { type: 'string' },
    issuer: { type: 'string', multiple: true },
    now: { type: 'string' },
    skew: { type: 'string' },
    deny: { type: 'string', multiple: true },
    'require-sealed': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(flags, io) {
    // Flags first, then files, then the token: a usage error never waits on standard input.
    const policy = {
      now: nowSeconds(flags.now),
      ...(flags.skew === undefined ? {} : { clockSkew: parseSeconds(flags.skew, '--skew') }),
      ...(flags.aud === undefined ? {} : { audienceIdentity: flags.aud }),
      ...(flags.issuer === undefined ? {} : { issuers: flags.issuer }),
      ...(flags.deny === undefined ? {} : { isRevoked: denyList(flags.deny) }),
      ...(flags['require-sealed'] ? { requireSealed: true } : {}),
    };
    const trust = await readTrust(io, flags);
    const audience = flags.audience === undefined ? {} : { audience: await readPublicKey(io, flags.audience) };
    const path = await verifyToken(await readToken(io, flags.in), { ...policy, trust, ...audience });
    io.stdout(flags.json ? `${JSON.stringify(path, null, 2)}\n` : renderPath(path));
    return 0;
  },
});
