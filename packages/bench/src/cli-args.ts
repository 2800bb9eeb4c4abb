import { PROFILES, type BenchConfig } from './config.js';

export interface CliOptions {
  readonly config: BenchConfig;
  /** Folder the JSON, Markdown and SVG files go to. */
  readonly outDir: string | undefined;
  readonly write: boolean;
}

export const USAGE = `usage: node packages/bench/dist/main.js [--quick | --full] [options]
  --quick            hops 1,4,16,64, few samples (default; under 2 minutes on 2 cores)
  --full             hops 1,2,4,8,16,32,64, more samples
  --hops 1,2,4       override the hop counts
  --samples N        override the number of timed samples
  --only a,b         run only scenarios whose id starts with a or b (e.g. nestoken-id,ed25519)
  --no-crate         skip crate operations
  --no-browser       skip the browser scenario (headless Chromium)
  --out DIR          write results there (default: packages/bench/results)
  --no-write         print the headline only`;

export class UsageError extends Error {}

const positiveInts = (value: string | undefined, flag: string): number[] => {
  const list = (value ?? '').split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((x) => !Number.isSafeInteger(x) || x < 1)) throw new UsageError(`${flag} takes positive integers`);
  return list;
};

export function parseArgs(argv: readonly string[]): CliOptions & { readonly crate: boolean; readonly browser: boolean } {
  let config: BenchConfig = PROFILES.quick;
  let outDir: string | undefined;
  let write = true;
  let crate = true;
  let browser = true;
  const overrides: { -readonly [K in keyof BenchConfig]?: BenchConfig[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--quick':
        config = PROFILES.quick;
        break;
      case '--full':
        config = PROFILES.full;
        break;
      case '--hops':
        overrides.hops = [...new Set(positiveInts(value(), arg))].sort((a, b) => a - b);
        break;
      case '--samples':
        overrides.samples = positiveInts(value(), arg)[0]!;
        break;
      case '--only':
        overrides.only = value().split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--no-crate':
        crate = false;
        break;
      case '--no-browser':
        browser = false;
        break;
      case '--out':
        outDir = value();
        break;
      case '--no-write':
        write = false;
        break;
      default:
        throw new UsageError(`unknown argument ${arg}`);
    }
  }
  return { config: { ...config, ...overrides }, outDir, write, crate, browser };
}
