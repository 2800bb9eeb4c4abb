import { fromCompact } from '@nestoken/crate';
import { NESTOKEN_CRATE_HEADER } from '../headers.js';
import { accessTokenCids } from './ingress-crate.js';
import type { LeafReport } from './leaf.js';
import { describeAnswer, expectThat, type Outcome } from './outcome.js';
import { getAccessToken, send, type Answer } from './outside-client.js';
import type { System } from './system.js';
import type { Captured } from './tap.js';
import { nameOf, type World } from './world.js';

/** One request through the gateway, and what each service sent on. */
export interface Run {
  readonly answer: Answer;
  readonly report: LeafReport | undefined;
  readonly toFoo: Captured | undefined;
  /** foo's call to bar, or to the third party. */
  readonly fromFoo: Captured | undefined;
}

export async function runThrough(system: System, path: string, mode: 'id' | 'anon' | 'hybrid' | 'txn'): Promise<Run> {
  const dir = system.directory;
  const accessToken = await getAccessToken(dir.get('issuer')!);
  const query = mode === 'id' ? '' : `?mode=${mode}`;
  const answer = await send(`${dir.get('gateway')}${path}${query}`, 'POST', { authorization: `Bearer ${accessToken}` });
  const last = (prefix: string | undefined) => (prefix ? system.tap.to(prefix).at(-1) : undefined);
  const leaf = path === '/share' ? 'partner' : 'bar';
  return {
    answer,
    report: answer.status === 200 ? (answer.body as LeafReport) : undefined,
    toFoo: last(dir.get('foo')),
    fromFoo: last(dir.get(leaf)),
  };
}

/** `issuer -> gateway -> foo -> bar`: every signer, then the verifier. */
export function route(world: World, report: LeafReport): string {
  return [...report.hops.map((h) => (h.via === 'anonymous' ? 'anonymous' : nameOf(world, h.identity))), nameOf(world, report.service)].join(' -> ');
}

const sentCrateRoot = (captured: Captured | undefined): string | undefined => {
  const text = captured?.headers[NESTOKEN_CRATE_HEADER.toLowerCase()];
  return text === undefined ? undefined : fromCompact(text).root.toString();
};

export function checkPath(world: World, name: string, run: Run, mode: string, expected: string, note: string): Outcome {
  const report = run.report;
  const got = report ? route(world, report) : describeAnswer(run.answer);
  const ok = report?.mode === (mode === 'txn' ? 'id' : mode) && got === expected && (mode !== 'txn' || report.txn !== undefined);
  return expectThat(name, ok, `${nameOf(world, report?.service)} proved ${expected} (${note})`, () => `got ${report?.mode ?? ''} ${got}`);
}

/** The access token went all the way down, vouched for by the gateway, in the very crate the gateway built. */
export function checkCrate(world: World, run: Run): Outcome {
  const crate = run.report?.crate;
  const token = crate?.tokens.find((t) => t.role === 'access_token');
  const gateway = world.workloads.gateway.identity;
  const attested = crate?.attestations.some((a) => a.attester === gateway && token && a.subjects.includes(token.cid));
  const ok = !!token && token.bytes > 0 && !!attested && crate!.root === sentCrateRoot(run.toFoo) && crate!.boundBy === 2;
  return expectThat(
    'crate',
    ok,
    `access token reached bar in bucket ${token?.bucket ?? '?'}, attested by gateway; root bound by foo's layer`,
    () => JSON.stringify({ token: !!token, attested, boundBy: crate?.boundBy }),
  );
}

/** Trimmed on the way out: the third party sees the same root and a valid attestation, but not the token. */
export function checkTrimmed(world: World, run: Run): Outcome {
  const crate = run.report?.crate;
  const sent = run.toFoo?.headers[NESTOKEN_CRATE_HEADER.toLowerCase()];
  const elided = sent ? accessTokenCids(fromCompact(sent)) : [];
  const gateway = world.workloads.gateway.identity;
  const ok =
    run.report?.service === world.workloads.partner.identity &&
    elided.length === 1 &&
    crate?.trimmed.length === 1 &&
    crate.trimmed[0] === elided[0] &&
    !crate.tokens.some((t) => t.role === 'access_token') &&
    crate.attestations.some((a) => a.attester === gateway && a.subjects.includes(elided[0]!)) &&
    crate.root === sentCrateRoot(run.toFoo);
  return expectThat(
    'trimmed',
    ok,
    `foo elided the access token before calling partner: same root, gateway's attestation still verifies`,
    () => (run.report ? JSON.stringify({ trimmed: crate?.trimmed, elided }) : describeAnswer(run.answer)),
  );
}
