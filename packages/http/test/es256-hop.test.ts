import { generateSigningKey, issueIdentityDocument } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { verifyRequest } from '../src/verify-request.js';
import { bar, barOptions, hop, NOW, requestOf, root, world } from './fixtures.js';

describe('a hop whose key is ES256', () => {
  it('signs its proof with the alg its WIT confirms (ES256), which the middleware requires', async () => {
    const key = generateSigningKey({ alg: 'ES256' });
    const identity = 'spiffe://nestoken.test/p256-gateway';
    const wit = await issueIdentityDocument({ authority: world.authority, subject: identity, key: key.publicKey, issuedAt: NOW, expiresAt: NOW + 600 });
    const p256 = { name: 'p256-gateway', identity, key, wit };
    const sent = await hop(p256, bar, await root(p256));
    const wpt = sent.headers['Workload-Proof-Token']!;
    expect(JSON.parse(Buffer.from(wpt.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'wpt+jwt' });
    const ctx = await verifyRequest(requestOf(sent.headers), barOptions());
    expect(ctx.caller).toEqual({ identity, keyThumbprint: key.publicKey.kid });
  });
});
