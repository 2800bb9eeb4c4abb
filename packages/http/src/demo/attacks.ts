import { decodeToken, DEFAULT_LIMITS, encodeToken, type Token } from '@nestoken/core';
import { fromCompact, toCompact } from '@nestoken/crate';
import { nestokenHop } from '../client.js';
import { NESTOKEN_CRATE_HEADER, NESTOKEN_HEADER } from '../headers.js';
import { TXN_TOKEN_HEADER } from '@nestoken/oauth';
import { ingressCrate } from './ingress-crate.js';
import { TRADE_PATH } from './transaction-rules.js';
import { expectRefusal, type Outcome } from './outcome.js';
import { send } from './outside-client.js';
import type { Run } from './runs.js';
import type { System } from './system.js';
import type { Captured } from './tap.js';

const header = (c: Captured | undefined, name: string): string => c?.headers[name.toLowerCase()] ?? '';
const tokenOf = (c: Captured | undefined): Token => decodeToken(header(c, NESTOKEN_HEADER), DEFAULT_LIMITS).token;

/** A token lifted off the foo -> partner call and shown to bar. */
export async function replayElsewhere(system: System, share: Run): Promise<Outcome> {
  const answer = await send(`${system.directory.get('bar')}/share`, 'POST', share.fromFoo?.headers ?? {});
  return expectRefusal('replay', 'bar is shown the token foo made for partner', answer, 'ERR_AUDIENCE_MISMATCH');
}

/** The very token foo sent bar, sent again to bar for another operation. */
export async function replayOtherRoute(system: System, main: Run): Promise<Outcome> {
  const answer = await send(`${system.directory.get('bar')}/orders`, 'DELETE', main.fromFoo?.headers ?? {});
  return expectRefusal('route', 'the token made for POST /orders, replayed as DELETE', answer, 'ERR_REQUEST_MISMATCH');
}

/**
 * A compromised foo, holding foo's real key, as a library that skips its own checks would
 * let it: `relink` rewrites the token it received before foo signs on top of it.
 */
async function compromisedFoo(system: System, main: Run, relink: (received: Token) => Token, rewrite: (sent: Token) => Token): Promise<Record<string, string>> {
  const { foo, bar } = system.world.workloads;
  const url = `${system.directory.get('bar')}/orders`;
  const hop = await nestokenHop(url, 'POST', {
    token: relink(tokenOf(main.toFoo)),
    key: foo.key,
    audienceKey: bar.key.publicKey,
    audience: bar.identity,
    identityDocument: foo.wit!,
    crate: fromCompact(header(main.toFoo, NESTOKEN_CRATE_HEADER)),
    now: system.world.now,
  });
  const sent = rewrite(decodeToken(hop.token, DEFAULT_LIMITS).token);
  return { ...hop.headers, [NESTOKEN_HEADER]: encodeToken(sent, 'jwt') };
}

/** foo extends the chain honestly, then strips the gateway's layer to hide that the request came through it. */
export async function dropLayer(system: System, main: Run): Promise<Outcome> {
  const headers = await compromisedFoo(system, main, (t) => t, (t) => ({ layers: t.layers.filter((_, i) => i !== 1) }));
  const answer = await send(`${system.directory.get('bar')}/orders`, 'POST', headers);
  return expectRefusal('drop', "foo strips the gateway's layer before calling bar", answer, 'ERR_CHAIN_LINK');
}

/** foo signs straight onto the issuer's layer, so the hash chain is whole but the gateway is gone. */
export async function spliceOut(system: System, main: Run): Promise<Outcome> {
  const foo = system.world.workloads.foo.key.publicKey.kid;
  const onlyRoot = (t: Token): Token => {
    const root = t.layers[0]!;
    // In memory only: the root's bytes (which foo's `prv` hashes) still name the gateway's key.
    return { layers: [{ ...root, claims: { ...root.claims, cnf: { jkt: foo } } }] };
  };
  const headers = await compromisedFoo(system, main, onlyRoot, (t) => t);
  const answer = await send(`${system.directory.get('bar')}/orders`, 'POST', headers);
  return expectRefusal('splice', "foo links its layer straight onto the issuer's", answer, 'ERR_KEY_BINDING');
}

/** The crate beside a valid token exchanged for one holding a forged access token. */
export async function swapCrate(system: System, main: Run): Promise<Outcome> {
  const forged = await ingressCrate('eyJhbGciOiJFZERTQSJ9.eyJzY29wZSI6Im9yZGVyczphZG1pbiJ9.forged', undefined, { now: system.world.now(), expiresAt: system.world.now() + 60 });
  const headers = { ...main.fromFoo?.headers, [NESTOKEN_CRATE_HEADER.toLowerCase()]: toCompact(forged) };
  const answer = await send(`${system.directory.get('bar')}/orders`, 'POST', headers);
  return expectRefusal('swap', 'the crate swapped for one holding a forged access token', answer, 'ERR_CRATE_UNBOUND');
}

/** bar is shown the chain of one transaction beside the Txn-Token of another. */
export async function swapTxnToken(system: System, trade: Run, other: Run): Promise<Outcome> {
  const name = TXN_TOKEN_HEADER.toLowerCase();
  const headers = { ...trade.fromFoo?.headers, [name]: header(other.fromFoo, TXN_TOKEN_HEADER) };
  const answer = await send(`${system.directory.get('bar')}${TRADE_PATH}`, 'POST', headers);
  return expectRefusal('txn-swap', 'the Txn-Token of another transaction swapped in', answer, 'ERR_TXN_TOKEN_MISMATCH');
}
