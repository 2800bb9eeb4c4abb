import type { MeasureOptions } from './measure.js';
import { pairedRatio, runPaired } from './paired.js';
import { nestokenIdScenarios } from './scenarios/nestoken-id.js';
import { FLOOR_IDS, signatureFloorScenario } from './scenarios/signature-floor.js';

/**
 * The ID-mode target (verify of an n-hop chain within 1.25× of n bare Ed25519 verifies),
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
  readonly medianMs: Readonly<Record<string, number>>;
}

export const FLOOR_CHECK_ROWS = { jwt: 'nestoken-id-node-jwt', cbor: 'nestoken-id-node-cbor', floor: FLOOR_IDS.Ed25519 } as const;
export const ES256_FLOOR_CHECK_ROWS = { jwt: 'nestoken-id-es256-node-jwt', cbor: 'nestoken-id-es256-node-cbor', floor: FLOOR_IDS.ES256 } as const;

export async function floorCheck(hops: number, rounds: number, opts: MeasureOptions): Promise<FloorCheck> {
  const ids = new Set<string>([FLOOR_CHECK_ROWS.jwt, FLOOR_CHECK_ROWS.cbor, ES256_FLOOR_CHECK_ROWS.jwt, ES256_FLOOR_CHECK_ROWS.cbor]);
  const scenarios = [...nestokenIdScenarios().filter((s) => ids.has(s.id)), signatureFloorScenario('Ed25519'), signatureFloorScenario('ES256')];
  const paired = await runPaired(scenarios, hops, rounds, opts);
  return {
    hops,
    rounds,
    jwt: pairedRatio(paired, FLOOR_CHECK_ROWS.jwt, FLOOR_CHECK_ROWS.floor),
    cbor: pairedRatio(paired, FLOOR_CHECK_ROWS.cbor, FLOOR_CHECK_ROWS.floor),
    es256Jwt: pairedRatio(paired, ES256_FLOOR_CHECK_ROWS.jwt, ES256_FLOOR_CHECK_ROWS.floor),
    es256Cbor: pairedRatio(paired, ES256_FLOOR_CHECK_ROWS.cbor, ES256_FLOOR_CHECK_ROWS.floor),
    medianMs: Object.fromEntries(Object.entries(paired.stats).map(([id, s]) => [id, s.medianMs])),
  };
}
