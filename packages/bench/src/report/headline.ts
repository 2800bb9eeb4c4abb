import type { FloorCheck } from '../floor-check.js';
import { pairedRatioSpread, type PairedResults, type RatioSpread } from '../paired.js';
import type { ChainPoint, ChainRow } from '../results.js';
import { bytes as fmtBytes, ms, ratio } from './format.js';

/** Reference rows the ratios are taken against. */
export const REFERENCE = {
  nestedJwt: 'nested-jwt',
  jwtList: 'jwt-hash-list',
  biscuitSignatures: 'biscuit:signatures',
  biscuitAuthorized: 'biscuit:authorized',
  floor: 'ed25519-floor',
  es256Floor: 'es256-floor',
  idFastJwt: 'nestoken-id-node-jwt:first-sight',
  idFastCbor: 'nestoken-id-node-cbor:first-sight',
  es256FastJwt: 'nestoken-id-es256-node-jwt:first-sight',
  es256FastCbor: 'nestoken-id-es256-node-cbor:first-sight',
} as const;

/** Each ID-mode row is held to the bare verifies of its own algorithm. */
const floorOf = (id: string): string => (id.startsWith('nestoken-id-es256-') ? REFERENCE.es256Floor : REFERENCE.floor);

/**
 * ID-mode fast path verify at the headline hop count, relative to that many bare verifies of the
 * layer algorithm: at most 1.2× for Ed25519 layers (issue #12) and 1.25× for ES256 layers
 * (issue #10), in both forms.
 */
export const FLOOR_TARGETS = { Ed25519: 1.2, ES256: 1.25 } as const;

export interface HeadlineRow {
  readonly id: string;
  readonly label: string;
  readonly bytes: number | null;
  readonly verifyMs: number;
  readonly sizeVsNestedJwt: number | null;
  readonly sizeVsBiscuit: number | null;
  readonly verifyVsNestedJwt: number | null;
  /** Against the flat list of hash-linked JWTs checked with node:crypto: the best a user could build by hand. */
  readonly verifyVsJwtList: number | null;
  readonly verifyVsBiscuitSignatures: number | null;
  readonly verifyVsBiscuitAuthorized: number | null;
  readonly verifyVsFloor: number | null;
  /** Each verify ratio with the 10th-90th percentile of its per-round ratios (interleaved phase only). */
  readonly spreads: Readonly<Record<VerifyRatio, RatioSpread | null>>;
}

type VerifyRatio = 'verifyVsNestedJwt' | 'verifyVsJwtList' | 'verifyVsBiscuitSignatures' | 'verifyVsBiscuitAuthorized' | 'verifyVsFloor';

export interface FastPathVsFloor {
  readonly jwt: number | null;
  readonly cbor: number | null;
  readonly freshJwt: number | null;
  readonly freshCbor: number | null;
  /** The four ratios with the 10th-90th percentile of their per-round ratios. */
  readonly spreads: Readonly<Record<'jwt' | 'cbor' | 'freshJwt' | 'freshCbor', RatioSpread | null>>;
  readonly target: number;
  /** Both forms' medians within the target in the main run, after every other system (a long-running process); null when not measured. */
  readonly metLongRun: boolean | null;
  /** The same in a fresh process that verifies only these chains; null when not run. */
  readonly metFresh: boolean | null;
  /** Met where measured: both verdicts, when both were taken, must hold. */
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
  /** The speed-ups with the 10th-90th percentile of their per-round ratios. */
  readonly speedupSpreads: {
    readonly msm: Readonly<Record<'jwt' | 'cbor' | 'sodiumCbor', RatioSpread | null>>;
    readonly sodium: Readonly<Record<'msm' | 'sequential', RatioSpread | null>>;
  };
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
  /** Per-round spread of a ratio; null outside the interleaved phase (a ratio of two medians has none). */
  readonly spread: (a: string, b: string) => RatioSpread | null;
  readonly interleaved: boolean;
}

function verifySource(chains: readonly ChainRow[], hops: number, paired: PairedResults | null): VerifySource {
  if (paired && paired.hops === hops) {
    const spread = (a: string, b: string) => pairedRatioSpread(paired, a, b);
    return { ms: (id) => paired.stats[id]?.medianMs, ratio: (a, b) => spread(a, b)?.median ?? null, spread, interleaved: true };
  }
  const ms = (id: string) => pointAt(chains, id, hops)?.verify.medianMs;
  return { ms, ratio: (a, b) => div(ms(a), ms(b)), spread: () => null, interleaved: false };
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
      const against: Record<VerifyRatio, string> = {
        verifyVsNestedJwt: REFERENCE.nestedJwt,
        verifyVsJwtList: REFERENCE.jwtList,
        verifyVsBiscuitSignatures: REFERENCE.biscuitSignatures,
        verifyVsBiscuitAuthorized: REFERENCE.biscuitAuthorized,
        verifyVsFloor: floorOf(r.id),
      };
      const spreads = Object.fromEntries(Object.entries(against).map(([k, ref]) => [k, src.spread(r.id, ref)])) as Record<VerifyRatio, RatioSpread | null>;
      const ratios = Object.fromEntries(Object.entries(against).map(([k, ref]) => [k, src.ratio(r.id, ref)])) as Record<VerifyRatio, number | null>;
      return [
        {
          id: r.id,
          label: r.label,
          bytes,
          verifyMs,
          sizeVsNestedJwt: div(bytes, bytesOf(REFERENCE.nestedJwt)),
          sizeVsBiscuit: div(bytes, bytesOf(REFERENCE.biscuitSignatures)),
          ...ratios,
          spreads,
        },
      ];
    });
  const row = (id: string) => rows.find((r) => r.id === id);
  const useFresh = fresh !== null && fresh.hops === hops;
  // Old stored runs have no spreads in their fresh check: the median alone then.
  const freshSpread = (k: keyof FloorCheck['spreads'], median: number | null): RatioSpread | null =>
    !useFresh ? null : (fresh.spreads?.[k] ?? (median === null ? null : { median, p10: median, p90: median }));
  const vsFloor = (jwtId: string, cborId: string, k: { jwt: keyof FloorCheck['spreads']; cbor: keyof FloorCheck['spreads'] }, target: number): FastPathVsFloor => {
    const verdict = (xs: readonly (number | null)[]): boolean | null => {
      const measured = xs.filter((x): x is number => x !== null);
      return measured.length ? measured.every((x) => x <= target) : null;
    };
    const fastJwt = row(jwtId)?.verifyVsFloor ?? null;
    const fastCbor = row(cborId)?.verifyVsFloor ?? null;
    const fj = useFresh ? (fresh[k.jwt] ?? null) : null;
    const fc = useFresh ? (fresh[k.cbor] ?? null) : null;
    const metLongRun = verdict([fastJwt, fastCbor]);
    const metFresh = verdict([fj, fc]);
    const met = metLongRun === null && metFresh === null ? null : metLongRun !== false && metFresh !== false;
    return {
      jwt: fastJwt,
      cbor: fastCbor,
      freshJwt: fj,
      freshCbor: fc,
      spreads: { jwt: row(jwtId)?.spreads.verifyVsFloor ?? null, cbor: row(cborId)?.spreads.verifyVsFloor ?? null, freshJwt: freshSpread(k.jwt, fj), freshCbor: freshSpread(k.cbor, fc) },
      target,
      metLongRun,
      metFresh,
      met,
    };
  };
  const idFastPathVsFloor = vsFloor(REFERENCE.idFastJwt, REFERENCE.idFastCbor, { jwt: 'jwt', cbor: 'cbor' }, FLOOR_TARGETS.Ed25519);
  const es256FastPathVsFloor = vsFloor(REFERENCE.es256FastJwt, REFERENCE.es256FastCbor, { jwt: 'es256Jwt', cbor: 'es256Cbor' }, FLOOR_TARGETS.ES256);
  const speedupIds = (form: string): [string, string] => [`nestoken-anon-${form}:sequential`, `nestoken-anon-${form}:msm`];
  const sodiumIds = (v: string): [string, string] => [`nestoken-anon-cbor:${v}`, `nestoken-anon-cbor-sodium:${v}`];
  const msmSpeedup = { jwt: src.ratio(...speedupIds('jwt')), cbor: src.ratio(...speedupIds('cbor')), sodiumCbor: src.ratio(...speedupIds('cbor-sodium')) };
  const sodiumSpeedup = { msm: src.ratio(...sodiumIds('msm')), sequential: src.ratio(...sodiumIds('sequential')) };
  const speedupSpreads = {
    msm: { jwt: src.spread(...speedupIds('jwt')), cbor: src.spread(...speedupIds('cbor')), sodiumCbor: src.spread(...speedupIds('cbor-sodium')) },
    sodium: { msm: src.spread(...sodiumIds('msm')), sequential: src.spread(...sodiumIds('sequential')) },
  };
  const peer = (id: string) => {
    const ms = src.ms(id);
    return ms === undefined ? undefined : { bytes: bytesOf(id), ms };
  };
  const peers: Peers = { jwt: peer(REFERENCE.nestedJwt), jwtList: peer(REFERENCE.jwtList), bSig: peer(REFERENCE.biscuitSignatures), bAuth: peer(REFERENCE.biscuitAuthorized), floor: peer(REFERENCE.floor), es256Floor: peer(REFERENCE.es256Floor) };
  const intro = `Below 1× nestoken is smaller or faster; ${src.interleaved ? 'verify figures come from the interleaved phase (ratios are medians of per-round ratios)' : 'verify ratios are ratios of medians'}.`;
  const lines = sentences(hops, rows, peers, { Ed25519: idFastPathVsFloor, ES256: es256FastPathVsFloor }, msmSpeedup, sodiumSpeedup, speedupSpreads);
  return { hops, interleaved: src.interleaved, rows, idFastPathVsFloor, es256FastPathVsFloor, msmSpeedup, sodiumSpeedup, speedupSpreads, intro, lines };
}

interface PeerFigures {
  readonly bytes: number | null;
  readonly ms: number;
}

interface Peers {
  readonly jwt: PeerFigures | undefined;
  readonly jwtList: PeerFigures | undefined;
  readonly bSig: PeerFigures | undefined;
  readonly bAuth: PeerFigures | undefined;
  readonly floor: PeerFigures | undefined;
  readonly es256Floor: PeerFigures | undefined;
}

const r = (x: number | null): string => (x === null ? 'n/a' : ratio(x));

/** "1.21× (1.15–1.30)": the median with the 10th-90th percentile of the per-round ratios, when there is one. */
export const withSpread = (x: number | null, s: RatioSpread | null | undefined): string =>
  x === null ? 'n/a' : s ? `${ratio(x)} (${ratio(s.p10).replace('×', '')}–${ratio(s.p90)})` : ratio(x);

const verdictText = (met: boolean | null): string => (met === null ? 'not measured' : met ? 'met' : 'NOT met');

function sentences(
  hops: number,
  rows: readonly HeadlineRow[],
  peers: Peers,
  fastPaths: Readonly<Record<'Ed25519' | 'ES256', FastPathVsFloor>>,
  msm: Headline['msmSpeedup'],
  sodium: Headline['sodiumSpeedup'],
  spreads: Headline['speedupSpreads'],
): string[] {
  const lines: string[] = [];
  const ref: string[] = [];
  if (peers.jwt) ref.push(`nested JWT ${fmtBytes(peers.jwt.bytes ?? 0)} B, ${ms(peers.jwt.ms)} ms`);
  if (peers.jwtList) ref.push(`hash-linked JWT list ${fmtBytes(peers.jwtList.bytes ?? 0)} B, ${ms(peers.jwtList.ms)} ms`);
  if (peers.bSig) ref.push(`Biscuit ${fmtBytes(peers.bSig.bytes ?? 0)} B, ${ms(peers.bSig.ms)} ms (${peers.bAuth ? ms(peers.bAuth.ms) : 'n/a'} ms with authorizer)`);
  if (peers.floor) ref.push(`${hops} bare Ed25519 verifies ${ms(peers.floor.ms)} ms`);
  if (peers.es256Floor) ref.push(`${hops} bare ES256 verifies ${ms(peers.es256Floor.ms)} ms`);
  if (ref.length) lines.push(`- Peers: ${ref.join('; ')}.`);
  // Crypto backends and verifiers share their bytes: one size entry per distinct token.
  const sized = rows.filter((row, i) => row.bytes !== null && rows.findIndex((q) => q.bytes === row.bytes && q.sizeVsBiscuit === row.sizeVsBiscuit) === i);
  if (sized.length) lines.push(`- Size vs nested JWT / Biscuit: ${sized.map((row) => `${shortLabel(row.label)} ${fmtBytes(row.bytes!)} B ${r(row.sizeVsNestedJwt)} / ${r(row.sizeVsBiscuit)}`).join('; ')}.`);
  if (rows.length) {
    lines.push(`- Verify vs nested JWT / hash-linked JWT list (node:crypto) / Biscuit / Biscuit + authorizer / ${hops} bare verifies of the row's algorithm; in parentheses the 10th-90th percentile of the per-round ratios:`);
  }
  for (const row of rows) {
    const cells = (['verifyVsNestedJwt', 'verifyVsJwtList', 'verifyVsBiscuitSignatures', 'verifyVsBiscuitAuthorized', 'verifyVsFloor'] as const).map((k) => withSpread(row[k], row.spreads[k]));
    lines.push(`  - ${row.label}: ${ms(row.verifyMs)} ms, ${cells.join(' / ')}`);
  }
  for (const [alg, fast] of Object.entries(fastPaths)) {
    if (alg !== 'Ed25519' && fast.jwt === null && fast.cbor === null && fast.freshJwt === null && fast.freshCbor === null) continue;
    const s = fast.spreads;
    const longRun = `in the main run, after every other system (a long-running process): JWT ${withSpread(fast.jwt, s.jwt)}, CBOR ${withSpread(fast.cbor, s.cbor)}, target ${verdictText(fast.metLongRun)}`;
    const freshPart = fast.freshJwt !== null || fast.freshCbor !== null ? `in a fresh process that verifies only these: JWT ${withSpread(fast.freshJwt, s.freshJwt)}, CBOR ${withSpread(fast.freshCbor, s.freshCbor)}, target ${verdictText(fast.metFresh)}; ` : '';
    lines.push(`- ID mode${alg === 'Ed25519' ? '' : ` ${alg}`} fast path vs ${hops} bare ${alg} verifies (target ≤ ${fast.target}×, median of per-round ratios): ${freshPart}${longRun}.`);
  }
  lines.push(
    `- Anonymous mode, MSM verifier vs sequential reference: ${withSpread(msm.jwt, spreads.msm.jwt)} faster (JWT), ${withSpread(msm.cbor, spreads.msm.cbor)} faster (CBOR); with the libsodium group: ${withSpread(msm.sodiumCbor, spreads.msm.sodiumCbor)}.`,
  );
  if (sodium.msm !== null || sodium.sequential !== null) {
    lines.push(`- Anonymous CBOR, libsodium (WASM) group backend vs noble: ${withSpread(sodium.msm, spreads.sodium.msm)} faster with the MSM verifier, ${withSpread(sodium.sequential, spreads.sodium.sequential)} with the sequential one.`);
  }
  return lines;
}

/** "nestoken ID node:crypto JWT" -> "ID JWT": sizes do not depend on the crypto backend. */
const shortLabel = (label: string): string => label.replace(/^nestoken /, '').replace(/ (node:crypto|noble)/, '').replace(/ \([^)]*\)$/, '');
