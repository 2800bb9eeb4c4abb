import { issueIdentityDocument, loadSpiffeBundle, loadWitIssuers, trustDomainOf, verifyIdentityDocument, witIssuerJwks, type ProvenIdentity } from '@nestoken/core';
import type { Command } from '../command.js';
import { commandGroup, defineCommand } from '../define.js';
import { nowSeconds, parseSeconds, readInput, readPrivateKey, readPublicKey, readText, required } from '../inputs.js';
import { usageError } from '../usage-error.js';

/** The domain a WIT claims, read only to choose which domain the bundle is taken for; the signature is checked after. */
function claimedTrustDomain(wit: string): string {
  const claims = wit.split('.')[1];
  let sub: unknown;
  try {
    sub = (JSON.parse(Buffer.from(claims ?? '', 'base64url').toString('utf8')) as { sub?: unknown }).sub;
  } catch {
    sub = undefined;
  }
  const td = trustDomainOf(sub);
  if (td === undefined) usageError('the WIT names no trust domain in sub: give --trust-domain');
  return td;
}

const render = (p: ProvenIdentity): string =>
  [
    `identity      ${p.identity}`,
    `trust domain  ${p.trustDomain}`,
    `key           ${p.confirmation.thumbprint} (${p.confirmation.alg})`,
    `profile       ${p.profile}`,
    ...(p.authorityKid !== undefined ? [`issuer key    ${p.authorityKid}`] : []),
    `expires       ${p.expiresAt}`,
  ].join('\n') + '\n';

const sub = {
  verify: defineCommand({
    name: 'wit verify',
    summary: 'check a Workload Identity Token against a SPIFFE bundle (or a plain JWKS of WIT issuers) and print the proven identity and key',
    usage: '--bundle FILE [--plain-jwks] [--trust-domain TD] [--in FILE] [--now SECONDS] [--skew SECONDS] [--json]   (without --trust-domain the bundle is taken for the domain the WIT names)',
    options: {
      bundle: { type: 'string', value: 'FILE', description: 'the SPIFFE bundle of the trust domain (its wit-svid keys verify WITs)' },
      'plain-jwks': { type: 'boolean', description: 'read --bundle as a plain JWKS of WIT issuers, as the WIMSE draft describes' },
      'trust-domain': { type: 'string', value: 'TD', description: 'the trust domain the bundle belongs to', defaultText: 'the domain the WIT names' },
      in: { type: 'string', value: 'FILE', description: 'the WIT (compact JWS)', defaultText: 'standard input' },
      now: { type: 'string', value: 'SECONDS', description: 'verify as of this time, in Unix seconds', defaultText: 'the clock' },
      skew: { type: 'string', value: 'SECONDS', description: 'clock skew tolerated on exp, nbf and iat', defaultText: '60' },
      json: { type: 'boolean', description: 'print the proven identity and key as JSON' },
    },
    async run(flags, io) {
      const bundlePath = required(flags.bundle, '--bundle');
      const now = nowSeconds(flags.now);
      const clockSkew = flags.skew === undefined ? 60 : parseSeconds(flags.skew, '--skew');
      const bundle = await readInput(io, bundlePath);
      const wit = await readText(io, flags.in ?? '-');
      if (wit === '') usageError('no WIT: give --in FILE or pipe one on standard input');
      const trustDomain = flags['trust-domain'] ?? claimedTrustDomain(wit);
      const trust = flags['plain-jwks'] ? loadWitIssuers(bundle, { trustDomain }) : loadSpiffeBundle(bundle, { trustDomain });
      const proven = await verifyIdentityDocument(wit, trust, { now, clockSkew });
      const { key: _key, ...shown } = proven;
      io.stdout(flags.json ? `${JSON.stringify(shown, null, 2)}\n` : render(proven));
      return 0;
    },
  }),
  mint: defineCommand({
    name: 'wit mint',
    summary: 'issue a Workload Identity Token binding an identity to a key (for tests and small deployments)',
    usage: '--authority KEY.jwk --sub IDENTITY --key PUB [--ttl SECONDS] [--now SECONDS] [--iss ISSUER] [--jti ID] [--out FILE] [--bundle-out FILE]',
    options: {
      authority: { type: 'string', value: 'KEY.jwk', description: "the issuing authority's private JWK (Ed25519 or P-256)" },
      sub: { type: 'string', value: 'IDENTITY', description: 'the workload identity, spiffe:// or wimse://' },
      key: { type: 'string', value: 'PUB', description: "the workload's public JWK, confirmed in cnf.jwk" },
      ttl: { type: 'string', value: 'SECONDS', description: 'lifetime of the WIT', defaultText: '3600' },
      now: { type: 'string', value: 'SECONDS', description: 'issue as of this time, in Unix seconds', defaultText: 'the clock' },
      iss: { type: 'string', value: 'ISSUER', description: 'the iss claim', defaultText: 'none' },
      jti: { type: 'string', value: 'ID', description: 'the jti claim', defaultText: 'none' },
      out: { type: 'string', value: 'FILE', description: 'where to write the WIT', defaultText: 'standard output' },
      'bundle-out': { type: 'string', value: 'FILE', description: "also write the authority's public key set (use: wit-svid) here" },
    },
    async run(flags, io) {
      const subject = required(flags.sub, '--sub');
      const ttl = flags.ttl === undefined ? 3600 : parseSeconds(flags.ttl, '--ttl');
      const now = nowSeconds(flags.now);
      if (trustDomainOf(subject) === undefined || subject.startsWith('https:')) usageError('--sub is a spiffe:// or wimse:// identity');
      const authority = await readPrivateKey(io, required(flags.authority, '--authority'));
      const key = await readPublicKey(io, required(flags.key, '--key'));
      const wit = await issueIdentityDocument({
        authority,
        subject,
        key,
        issuedAt: now,
        expiresAt: now + ttl,
        ...(flags.iss !== undefined ? { issuer: flags.iss } : {}),
        ...(flags.jti !== undefined ? { jti: flags.jti } : {}),
      });
      if (flags['bundle-out'] !== undefined) await io.writeFile(flags['bundle-out'], `${JSON.stringify(witIssuerJwks(authority), null, 2)}\n`);
      if (flags.out !== undefined) await io.writeFile(flags.out, `${wit}\n`);
      else io.stdout(`${wit}\n`);
      return 0;
    },
  }),
} satisfies Record<string, Command>;

/** `nestoken wit SUBCOMMAND ...`: Workload Identity Tokens (draft-ietf-wimse-workload-creds, SPIFFE WIT-SVID). */
export const witCommand: Command = commandGroup('wit', 'Workload Identity Tokens: verify, mint', 'WIT: a compact JWS; standard input when --in is absent', sub);
