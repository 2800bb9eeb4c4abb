import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a user gets: the publishable packages packed with `npm pack` and installed, by their
 * tarballs, into a scratch project in a temporary directory. Their dependencies come from the
 * npm cache that `npm ci` filled (`--prefer-offline`), the registry only for what is missing.
 */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The packages a user installs, in dependency order. */
export const PUBLISHED = ['core', 'crate', 'vectors', 'status-list', 'cli', 'oauth', 'http'] as const;

export interface PackedInstall {
  readonly dir: string;
  /** Tarball file name per package directory name. */
  readonly tarballs: Readonly<Record<string, string>>;
  /** `npm pack --dry-run --json` of each package: files and sizes. */
  readonly contents: Readonly<Record<string, PackReport>>;
  remove(): void;
}

export interface PackReport {
  readonly name: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number }>;
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

/** Packs the packages (built beforehand) and installs the tarballs into a new scratch project. */
export function packAndInstall(packages: readonly string[] = PUBLISHED): PackedInstall {
  const dir = mkdtempSync(join(tmpdir(), 'nestoken-packed-'));
  const tarballDir = join(dir, 'tarballs');
  mkdirSync(tarballDir);
  const reports = JSON.parse(
    npm(['pack', '--json', '--pack-destination', tarballDir, ...packages.flatMap((p) => ['-w', `packages/${p}`])], REPO_ROOT),
  ) as Array<PackReport & { filename: string }>;
  const tarballs: Record<string, string> = {};
  const contents: Record<string, PackReport> = {};
  packages.forEach((p, i) => {
    tarballs[p] = reports[i]!.filename;
    contents[p] = reports[i]!;
  });
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'scratch',
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(packages.map((p) => [reports[packages.indexOf(p)]!.name, `file:../tarballs/${tarballs[p]}`])),
    }),
  );
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], project);
  if (!readdirSync(join(project, 'node_modules')).includes('@nestoken')) throw new Error('the tarballs did not install');
  return { dir: project, tarballs, contents, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
