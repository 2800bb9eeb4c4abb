import { b64u, decodeToken, DEFAULT_LIMITS, encodeToken, extend, isNestokenError, layerDigest, signWith, type SigningKey, type Token } from '@nestoken/core';
import { fromCompact, toCompact, type Crate } from '@nestoken/crate';
import { nestokenHop, NESTOKEN_CRATE_HEADER, NESTOKEN_HEADER, WORKLOAD_IDENTITY_TOKEN_HEADER, WORKLOAD_PROOF_TOKEN_HEADER, workloadProof } from '@nestoken/http';
import { TXN_TOKEN_HEADER } from '@nestoken/oauth';
import { ingressCrate } from './ingress-crate.js';
import { TRADE_PATH } from './transaction-rules.js';
import { expectRefusal, type Outcome } from './outcome.js';
import { getAccessToken, send } from './outside-client.js';
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
 * A compromised foo, holding foo's real key: `relink` rewrites the token it received before foo
 * signs on top of it, `rewrite` the token it sends (by hand, where the library refuses to help).
 */
async function compromisedFoo(
  system: System,
  main: Run,
  relink: (received: Token) => Token,
  rewrite: (sent: Token) => Token | Promise<Token>,
  crate: Crate = fromCompact(header(main.toFoo, NESTOKEN_CRATE_HEADER)),
): Promise<Record<string, string>> {
  const { foo, bar } = system.world.workloads;
  const url = `${system.directory.get('bar')}/orders`;
  const hop = await nestokenHop(url, 'POST', {
    token: relink(tokenOf(main.toFoo)),
    key: foo.key,
    audienceKey: bar.key.publicKey,
    audience: bar.identity,
    identityDocument: foo.wit!,
    crate,
    now: system.world.now,
  });
  const sent = await rewrite(decodeToken(hop.token, DEFAULT_LIMITS).token);
  return { ...hop.headers, [NESTOKEN_HEADER]: encodeToken(sent, 'jwt') };
}

/** foo extends the chain honestly, then strips the gateway's layer to hide that the request came through it. */
export async function dropLayer(system: System, main: Run): Promise<Outcome> {
  const headers = await compromisedFoo(system, main, (t) => t, (t) => ({ ...t, layers: t.layers.filter((_, i) => i !== 1) }));
  const answer = await send(`${system.directory.get('bar')}/orders`, 'POST', headers);
  // After the root, foo's layer implies the gateway's key (the root's cnf.jkt, spec §4.6): foo's WIT vouches for another.
  return expectRefusal('drop', "foo strips the gateway's layer before calling bar", answer, 'ERR_IDENTITY_DOCUMENT', 400);
}

/**
 * A JWT-form layer signed by hand (canonical JSON: members sorted, no white space), as an attacker
 * writes it: `extend` refuses to sign onto a layer that named another key.
 */
async function handSignedLayer(key: SigningKey, prv: string, claims: Record<string, unknown>): Promise<Token['layers'][number]> {
  const sorted = (o: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))));
  // A layer after the root sends no header (spec §4.6): it signs the one it hopes the verifier rebuilds, naming its own key.
  const header = sorted({ alg: key.publicKey.alg, kid: key.publicKey.kid, prv, typ: 'nst+jwt' });
  const payload = b64u(new TextEncoder().encode(sorted(claims)));
  const signature = await signWith(key, new TextEncoder().encode(`${b64u(new TextEncoder().encode(header))}.${payload}`));
  // Only the format and bytes travel: encodeToken writes a layer from these two.
  return { format: 'jwt', bytes: new TextEncoder().encode(`.${payload}.${b64u(signature)}`) } as Token['layers'][number];
}

/** foo signs straight onto the issuer's layer, so the hash chain is whole but the gateway is gone. */
export async function spliceOut(system: System, main: Run): Promise<Outcome> {
  const { foo, bar } = system.world.workloads;
  const onlyRoot = async (t: Token): Promise<Token> => {
    const root = t.layers[0]!;
    // The root's bytes (which foo's `prv` hashes) still name the gateway's key.
    const forged = await handSignedLayer(foo.key, layerDigest(root.bytes), { cnf: { jkt: bar.key.publicKey.kid }, exp: root.claims.exp });
    return { layers: [root, forged] };
  };
  const headers = await compromisedFoo(system, main, (t) => t, onlyRoot);
  const answer = await send(`${system.directory.get('bar')}/orders`, 'POST', headers);
  // The root's bytes still hand the token to the gateway's key, which foo's layer therefore implies (spec §4.6):
  // nothing in foo's layer vouches for the gateway's key.
  return expectRefusal('splice', "foo links its layer straight onto the issuer's", answer, 'ERR_KEY_UNTRUSTED');
}

/** The crate beside a valid token exchanged in transit for one holding a forged access token. */
export async function swapCrate(system: System, main: Run): Promise<Outcome> {
  const forged = await ingressCrate('eyJhbGciOiJFZERTQSJ9.eyJzY29wZSI6Im9yZGVyczphZG1pbiJ9.forged', undefined, { now: system.world.now(), expiresAt: system.world.now() + 60 });
  const headers = { ...main.fromFoo?.headers, [NESTOKEN_CRATE_HEADER.toLowerCase()]: toCompact(forged) };
  const answer = await send(`${system.directory.get('bar')}/orders`, 'POST', headers);
  return expectRefusal('swap', "the crate swapped in transit for one holding a forged access token (foo's WPT covers the crate)", answer, 'ERR_PROOF_MISMATCH', 400);
}

/** bar, holding foo -> bar, drops foo's layer and replays the gateway -> foo chain to foo under its own WIT and proof: its WIT is not the document the gateway's layer names. */
export async function upstreamReplay(system: System, main: Run): Promise<Outcome> {
  const { bar } = system.world.workloads;
  const { layers } = tokenOf(main.fromFoo);
  const upstream = { [NESTOKEN_HEADER]: encodeToken({ layers: layers.slice(0, -1) }, 'jwt'), [NESTOKEN_CRATE_HEADER]: header(main.fromFoo, NESTOKEN_CRATE_HEADER) };
  const url = `${system.directory.get('foo')}/orders`;
  const proof = await workloadProof(url, { key: bar.key, identityDocument: bar.wit!, headers: upstream, now: system.world.now() });
  const answer = await send(url, 'POST', { ...upstream, [WORKLOAD_IDENTITY_TOKEN_HEADER]: bar.wit!, [WORKLOAD_PROOF_TOKEN_HEADER]: proof });
  return expectRefusal('upstream', "bar drops foo's layer and replays gateway -> foo to foo, with its own WIT and proof", answer, 'ERR_DOCUMENT_MISMATCH', 401);
}

/** The request foo sent bar, sent to bar a second time: its proof was already used. */
export async function reuseProof(system: System, main: Run): Promise<Outcome> {
  const answer = await send(`${system.directory.get('bar')}/orders`, 'POST', main.fromFoo?.headers ?? {});
  return expectRefusal('wpt-reuse', 'the foo -> bar request sent to bar again, byte for byte', answer, 'ERR_PROOF_REPLAYED', 400);
}

/**
 * An eavesdropper on gateway -> foo in a hybrid chain: the chain is sealed and its scalar is
 * encrypted to foo, so no link can be added; sent on as it is, to bar as DELETE /admin/wipe.
 */
export async function readdress(system: System, hybrid: Run): Promise<Outcome> {
  const captured = tokenOf(hybrid.toFoo);
  const extended = await extend(captured, { claims: { aud: system.world.workloads.bar.identity } }).then(
    () => 'extended',
    (e: unknown) => (isNestokenError(e) ? e.code : 'error'),
  );
  if (extended !== 'ERR_SEALED') return { name: 'readdress', ok: false, text: `the captured hybrid chain could be extended: ${extended}` };
  const answer = await send(`${system.directory.get('bar')}/admin/wipe`, 'DELETE', { [NESTOKEN_HEADER]: header(hybrid.toFoo, NESTOKEN_HEADER) });
  return expectRefusal('readdress', 'an eavesdropper on gateway -> foo (hybrid) cannot extend the sealed chain (ERR_SEALED); sent to bar as DELETE /admin/wipe', answer, 'ERR_AUDIENCE_MISMATCH');
}

/** The partner copies the gateway's WIT (every layer header carries it) and asks the issuer for a root. */
export async function copiedWit(system: System, main: Run): Promise<Outcome> {
  const accessToken = await getAccessToken(system.directory.get('issuer')!);
  const answer = await send(`${system.directory.get('issuer')}/nestoken`, 'POST', {
    authorization: `Bearer ${accessToken}`,
    [WORKLOAD_IDENTITY_TOKEN_HEADER]: header(main.toFoo, WORKLOAD_IDENTITY_TOKEN_HEADER),
  });
  return expectRefusal('copied-wit', "the partner presents the gateway's WIT to the issuer without its key", answer, 'ERR_PROOF_MISSING');
}

/** A compromised foo ships the crate of another request (its gateway attestation names that chain) and names it in its layer. */
export async function transplantAttestation(system: System, main: Run, other: Run): Promise<Outcome> {
  const foreign = fromCompact(header(other.toFoo, NESTOKEN_CRATE_HEADER));
  const headers = await compromisedFoo(system, main, (t) => t, (t) => t, foreign);
  const answer = await send(`${system.directory.get('bar')}/orders`, 'POST', headers);
  return expectRefusal('transplant', "foo ships another request's crate, the gateway's attestation in it", answer, 'ERR_ATTESTATION_UNBOUND');
}

/**
 * A compromised foo shows bar the chain of one transaction beside the Txn-Token of another,
 * signing its proof over the swap (in transit, the proof's `tth` would refuse it first).
 */
export async function swapTxnToken(system: System, trade: Run, other: Run): Promise<Outcome> {
  const { foo } = system.world.workloads;
  const url = `${system.directory.get('bar')}${TRADE_PATH}`;
  const headers: Record<string, string> = { ...trade.fromFoo?.headers, [TXN_TOKEN_HEADER]: header(other.fromFoo, TXN_TOKEN_HEADER) };
  delete headers[TXN_TOKEN_HEADER.toLowerCase()];
  const signed = { [NESTOKEN_HEADER]: header(trade.fromFoo, NESTOKEN_HEADER), [NESTOKEN_CRATE_HEADER]: header(trade.fromFoo, NESTOKEN_CRATE_HEADER) };
  const proof = await workloadProof(url, { key: foo.key, identityDocument: foo.wit!, headers: signed, txnToken: headers[TXN_TOKEN_HEADER]!, now: system.world.now() });
  const answer = await send(url, 'POST', { ...headers, [WORKLOAD_PROOF_TOKEN_HEADER.toLowerCase()]: proof });
  return expectRefusal('txn-swap', 'the Txn-Token of another transaction swapped in', answer, 'ERR_TXN_TOKEN_MISMATCH');
}
