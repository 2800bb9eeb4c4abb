import type { FloorCheck } from '../floor-check.js';
import { pairedRatio, type PairedResults } from '../paired.js';
import type { ChainPoint, ChainRow } from '../results.js';
import { bytes as fmtBytes, ms, ratio } from './format.js';

/** Reference rows the ratios are taken against. */
export const REFERENCE = {
  nestedJwt: 'nested-jwt',
  biscuitSignatures: 'biscuit:signatures',
  biscuitAuthorized: 'biscuit:authorized',
  floor: 'ed25519-floor',
  es256Floor: 'es256-floor',
  idFastJwt: 'nestoken-id-node-jwt',
  idFastCbor: 'nestoken-id-node-cbor',
  es256FastJwt: 'nestoken-id-es256-node-jwt',
  es256FastCbor: 'nestoken-id-es256-node-cbor',
} as const;

/** Each ID-mode row is held to the bare verifies of its own algorithm. */
const floorOf = (id: string): string => (id.startsWith('nestoken-id-es256-') ? REFERENCE.es256Floor : REFERENCE.floor);

/** ID-mode fast path verify at the headline hop count, relative to that many bare verifies. */
export const FLOOR_TARGET = 1.25;

export interface HeadlineRow {
  readonly id: string;
  readonly label: string;
  readonly bytes: number | null;
  readonly verifyMs: number;
  readonly sizeVsNestedJwt: number | null;
  readonly sizeVsBiscuit: number | null;
  readonly verifyVsNestedJwt: number | null;
  readonly verifyVsBiscuitSignatures: number | null;
  readonly verifyVsBiscuitAuthorized: number | null;
  readonly verifyVsFloor: number | null;
}

export interface FastPathVsFloor {
  readonly jwt: number | null;
  readonly cbor: number | null;
  readonly freshJwt: number | null;
  readonly freshCbor: number | null;
  readonly target: number;
  readonly met: boolean | null;
}

export interface Headline {
  readonly hops: number;
  /** True when the verify figures come from the interleaved phase. */
  readonly interleaved: boolean;
  readonly rows: readonly HeadlineRow[];
  /**
   * ID mode, node:crypto path: verify / n bare Ed25519 verifies, with the target. `jwt` and
   * `cbor` are from the main run; `fresh*` from a process that ran nothing else, which decides `met`
   * when present.
   */
  readonly idFastPathVsFloor: FastPathVsFloor;
  /** The same for ES256 layers against n bare node:crypto ES256 verifies. */
  readonly es256FastPathVsFloor: FastPathVsFloor;
  /** Anonymous mode: sequential verify time / MSM verify time, per encoding, and with the libsodium group (CBOR). */
  readonly msmSpeedup: { readonly jwt: number | null; readonly cbor: number | null; readonly sodiumCbor: number | null };
  /** Anonymous CBOR: noble verify time / libsodium verify time, per verifier. */
  readonly sodiumSpeedup: { readonly msm: number | null; readonly sequential: number | null };
  /** How to read the figures, one sentence. */
  readonly intro: string;
  /** The same figures as Markdown list items, for the console and the report. */
  readonly lines: readonly string[];
}

const pointAt = (rows: readonly ChainRow[], id: string, hops: number): ChainPoint | undefined =>
  rows.find((r) => r.id === id)?.points.find((p) => p.hops === hops);

const div = (a: number | null | undefined, b: number | null | undefined): number | null => (a != null && b != null && b > 0 ? a / b : null);

/** Verify figures at the headline hop count: from the interleaved phase when it ran, else from the sweep. */
interface VerifySource {
  readonly ms: (id: string) => number | undefined;
  readonly ratio: (a: string, b: string) => number | null;
  readonly interleaved: boolean;
}

function verifySource(chains: readonly ChainRow[], hops: number, paired: PairedResults | null): VerifySource {
  if (paired && paired.hops === hops) {
    return { ms: (id) => paired.stats[id]?.medianMs, ratio: (a, b) => pairedRatio(paired, a, b), interleaved: true };
  }
  const ms = (id: string) => pointAt(chains, id, hops)?.verify.medianMs;
  return { ms, ratio: (a, b) => div(ms(a), ms(b)), interleaved: false };
}

export function computeHeadline(chains: readonly ChainRow[], hops: number, paired: PairedResults | null = null, fresh: FloorCheck | null = null): Headline {
  const src = verifySource(chains, hops, paired);
  const bytesOf = (id: string) => pointAt(chains, id, hops)?.bytes ?? null;
  const rows: HeadlineRow[] = chains
    .filter((r) => r.family === 'nestoken')
    .flatMap((r) => {
      const verifyMs = src.ms(r.id);
      if (verifyMs === undefined) return [];
      const bytes = bytesOf(r.id);
      return [
        {
          id: r.id,
          label: r.label,
          bytes,
          verifyMs,
          sizeVsNestedJwt: div(bytes, bytesOf(REFERENCE.nestedJwt)),
          sizeVsBiscuit: div(bytes, bytesOf(REFERENCE.biscuitSignatures)),
          verifyVsNestedJwt: src.ratio(r.id, REFERENCE.nestedJwt),
          verifyVsBiscuitSignatures: src.ratio(r.id, REFERENCE.biscuitSignatures),
          verifyVsBiscuitAuthorized: src.ratio(r.id, REFERENCE.biscuitAuthorized),
          verifyVsFloor: src.ratio(r.id, floorOf(r.id)),
        },
      ];
    });
  const row = (id: string) => rows.find((r) => r.id === id);
  const useFresh = fresh !== null && fresh.hops === hops;
  const vsFloor = (jwtId: string, cborId: string, freshJwt: number | null | undefined, freshCbor: number | null | undefined): FastPathVsFloor => {
    const fastJwt = row(jwtId)?.verifyVsFloor ?? null;
    const fastCbor = row(cborId)?.verifyVsFloor ?? null;
    const fj = useFresh ? (freshJwt ?? null) : null;
    const fc = useFresh ? (freshCbor ?? null) : null;
    const deciding = (fj !== null || fc !== null ? [fj, fc] : [fastJwt, fastCbor]).filter((x): x is number => x !== null);
    return { jwt: fastJwt, cbor: fastCbor, freshJwt: fj, freshCbor: fc, target: FLOOR_TARGET, met: deciding.length ? deciding.every((x) => x <= FLOOR_TARGET) : null };
  };
  const idFastPathVsFloor = vsFloor(REFERENCE.idFastJwt, REFERENCE.idFastCbor, fresh?.jwt, fresh?.cbor);
  const es256FastPathVsFloor = vsFloor(REFERENCE.es256FastJwt, REFERENCE.es256FastCbor, fresh?.es256Jwt, fresh?.es256Cbor);
  const speedup = (form: string) => src.ratio(`nestoken-anon-${form}:sequential`, `nestoken-anon-${form}:msm`);
  const msmSpeedup = { jwt: speedup('jwt'), cbor: speedup('cbor'), sodiumCbor: speedup('cbor-sodium') };
  const sodium = (v: string) => src.ratio(`nestoken-anon-cbor:${v}`, `nestoken-anon-cbor-sodium:${v}`);
  const sodiumSpeedup = { msm: sodium('msm'), sequential: sodium('sequential') };
  const peer = (id: string) => {
    const ms = src.ms(id);
    return ms === undefined ? undefined : { bytes: bytesOf(id), ms };
  };
  const peers: Peers = { jwt: peer(REFERENCE.nestedJwt), bSig: peer(REFERENCE.biscuitSignatures), bAuth: peer(REFERENCE.biscuitAuthorized), floor: peer(REFERENCE.floor), es256Floor: peer(REFERENCE.es256Floor) };
  const intro = `Below 1× nestoken is smaller or faster; ${src.interleaved ? 'verify figures come from the interleaved phase (ratios are medians of per-round ratios)' : 'verify ratios are ratios of medians'}.`;
  const lines = sentences(hops, rows, peers, { Ed25519: idFastPathVsFloor, ES256: es256FastPathVsFloor }, msmSpeedup, sodiumSpeedup);
  return { hops, interleaved: src.interleaved, rows, idFastPathVsFloor, es256FastPathVsFloor, msmSpeedup, sodiumSpeedup, intro, lines };
}

interface PeerFigures {
  readonly bytes: number | null;
  readonly ms: number;
}

interface Peers {
  readonly jwt: PeerFigures | undefined;
  readonly bSig: PeerFigures | undefined;
  readonly bAuth: PeerFigures | undefined;
  readonly floor: PeerFigures | undefined;
  readonly es256Floor: PeerFigures | undefined;
}

const r = (x: number | null): string => (x === null ? 'n/a' : ratio(x));

function sentences(hops: number, rows: readonly HeadlineRow[], peers: Peers, fastPaths: Readonly<Record<'Ed25519' | 'ES256', FastPathVsFloor>>, msm: Headline['msmSpeedup'], sodium: Headline['sodiumSpeedup']): string[] {
  const lines: string[] = [];
  const ref: string[] = [];
  if (peers.jwt) ref.push(`nested JWT ${fmtBytes(peers.jwt.bytes ?? 0)} B, ${ms(peers.jwt.ms)} ms`);
  if (peers.bSig) ref.push(`Biscuit ${fmtBytes(peers.bSig.bytes ?? 0)} B, ${ms(peers.bSig.ms)} ms (${peers.bAuth ? ms(peers.bAuth.ms) : 'n/a'} ms with authorizer)`);
  if (peers.floor) ref.push(`${hops} bare Ed25519 verifies ${ms(peers.floor.ms)} ms`);
  if (peers.es256Floor) ref.push(`${hops} bare ES256 verifies ${ms(peers.es256Floor.ms)} ms`);
  if (ref.length) lines.push(`- Peers: ${ref.join('; ')}.`);
  // Crypto backends and verifiers share their bytes: one size entry per distinct token.
  const sized = rows.filter((row, i) => row.bytes !== null && rows.findIndex((q) => q.bytes === row.bytes && q.sizeVsBiscuit === row.sizeVsBiscuit) === i);
  if (sized.length) lines.push(`- Size vs nested JWT / Biscuit: ${sized.map((row) => `${shortLabel(row.label)} ${fmtBytes(row.bytes!)} B ${r(row.sizeVsNestedJwt)} / ${r(row.sizeVsBiscuit)}`).join('; ')}.`);
  if (rows.length) lines.push(`- Verify vs nested JWT / Biscuit / Biscuit + authorizer / ${hops} bare verifies of the row's algorithm:`);
  for (const row of rows) {
    lines.push(`  - ${row.label}: ${ms(row.verifyMs)} ms, ${r(row.verifyVsNestedJwt)} / ${r(row.verifyVsBiscuitSignatures)} / ${r(row.verifyVsBiscuitAuthorized)} / ${r(row.verifyVsFloor)}`);
  }
  for (const [alg, fast] of Object.entries(fastPaths)) {
    if (alg !== 'Ed25519' && fast.jwt === null && fast.cbor === null && fast.freshJwt === null && fast.freshCbor === null) continue;
    const verdict = fast.met === null ? 'not measured' : fast.met ? 'met' : 'NOT met';
    const freshPart =
      fast.freshJwt !== null || fast.freshCbor !== null
        ? `in a fresh process that verifies only these: JWT ${r(fast.freshJwt)}, CBOR ${r(fast.freshCbor)}; in the main run, after every other system: JWT ${r(fast.jwt)}, CBOR ${r(fast.cbor)}`
        : `JWT ${r(fast.jwt)}, CBOR ${r(fast.cbor)}`;
    lines.push(`- ID mode${alg === 'Ed25519' ? '' : ` ${alg}`} fast path vs ${hops} bare ${alg} verifies, ${freshPart} (target ≤ ${fast.target}×: ${verdict}).`);
  }
  lines.push(`- Anonymous mode, MSM verifier vs sequential reference: ${r(msm.jwt)} faster (JWT), ${r(msm.cbor)} faster (CBOR); with the libsodium group: ${r(msm.sodiumCbor)}.`);
  if (sodium.msm !== null || sodium.sequential !== null) {
    lines.push(`- Anonymous CBOR, libsodium (WASM) group backend vs noble: ${r(sodium.msm)} faster with the MSM verifier, ${r(sodium.sequential)} with the sequential one.`);
  }
  return lines;
}

/** "nestoken ID node:crypto JWT" -> "ID JWT": sizes do not depend on the crypto backend. */
const shortLabel = (label: string): string => label.replace(/^nestoken /, '').replace(/ (node:crypto|noble)/, '').replace(/ \((MSM|sequential)\)$/, '');
