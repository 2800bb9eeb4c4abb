import type { MeasureOptions } from './measure.js';
import { DEFAULT_PREPARE_CONTEXT, type PrepareContext } from './scenarios/first-sight.js';
import { pairedRatioSpread, runPaired, type RatioSpread } from './paired.js';
import { nestokenIdScenarios } from './scenarios/nestoken-id.js';
import { FLOOR_IDS, signatureFloorScenario } from './scenarios/signature-floor.js';

/**
 * The ID-mode targets (verify of an n-hop chain within 1.2× of n bare Ed25519 verifies, 1.25×
 * of n bare ES256 verifies for ES256 layers),
 * checked in a process that has run nothing else. In the main run the same isolate has also
 * executed jose, Biscuit's wasm, noble and the crates: its JIT and heap are busier than a
 * verifier's that only sees nestoken chains, and that taxes our JavaScript but not the floor's
 * native calls. Both figures are reported.
 */
export interface FloorCheck {
  readonly hops: number;
  readonly rounds: number;
  /** ID-mode node:crypto verify / floor, median of per-round ratios, per encoding. */
  readonly jwt: number | null;
  readonly cbor: number | null;
  /** The same for ES256 layers against n bare node:crypto ES256 verifies. */
  readonly es256Jwt: number | null;
  readonly es256Cbor: number | null;
  /** The same ratios with the 10th-90th percentile of the per-round ratios. */
  readonly spreads: Readonly<Record<'jwt' | 'cbor' | 'es256Jwt' | 'es256Cbor', RatioSpread | null>>;
  /** Rows that failed in the fresh process, and why. */
  readonly failed?: Readonly<Record<string, string>>;
  readonly medianMs: Readonly<Record<string, number>>;
}

/** The first-sight rows: every signature of every chain verified (scenarios/first-sight.ts). */
export const FLOOR_CHECK_ROWS = { jwt: 'nestoken-id-node-jwt:first-sight', cbor: 'nestoken-id-node-cbor:first-sight', floor: FLOOR_IDS.Ed25519 } as const;
export const ES256_FLOOR_CHECK_ROWS = { jwt: 'nestoken-id-es256-node-jwt:first-sight', cbor: 'nestoken-id-es256-node-cbor:first-sight', floor: FLOOR_IDS.ES256 } as const;
const scenarioOf = (row: string): string => row.split(':')[0]!;

export async function floorCheck(hops: number, rounds: number, opts: MeasureOptions, context: PrepareContext = DEFAULT_PREPARE_CONTEXT): Promise<FloorCheck> {
  const ids = new Set<string>([FLOOR_CHECK_ROWS.jwt, FLOOR_CHECK_ROWS.cbor, ES256_FLOOR_CHECK_ROWS.jwt, ES256_FLOOR_CHECK_ROWS.cbor].map(scenarioOf));
  const scenarios = [...nestokenIdScenarios().filter((s) => ids.has(s.id)), signatureFloorScenario('Ed25519'), signatureFloorScenario('ES256')];
  const paired = await runPaired(scenarios, hops, rounds, opts, context);
  const spreads = {
    jwt: pairedRatioSpread(paired, FLOOR_CHECK_ROWS.jwt, FLOOR_CHECK_ROWS.floor),
    cbor: pairedRatioSpread(paired, FLOOR_CHECK_ROWS.cbor, FLOOR_CHECK_ROWS.floor),
    es256Jwt: pairedRatioSpread(paired, ES256_FLOOR_CHECK_ROWS.jwt, ES256_FLOOR_CHECK_ROWS.floor),
    es256Cbor: pairedRatioSpread(paired, ES256_FLOOR_CHECK_ROWS.cbor, ES256_FLOOR_CHECK_ROWS.floor),
  };
  return {
    hops,
    rounds,
    jwt: spreads.jwt?.median ?? null,
    cbor: spreads.cbor?.median ?? null,
    es256Jwt: spreads.es256Jwt?.median ?? null,
    es256Cbor: spreads.es256Cbor?.median ?? null,
    spreads,
    ...(paired.failed ? { failed: paired.failed } : {}),
    medianMs: Object.fromEntries(Object.entries(paired.stats).map(([id, s]) => [id, s.medianMs])),
  };
}
