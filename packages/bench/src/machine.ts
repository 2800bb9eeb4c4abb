import { arch, cpus, freemem, platform, release, totalmem, type } from 'node:os';
import { installedVersion } from './installed.js';

export interface MachineInfo {
  readonly os: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly node: string;
  readonly v8: string;
  readonly packages: Readonly<Record<string, string>>;
}

/** Packages whose versions decide the numbers. */
const MEASURED_PACKAGES = ['@nestoken/core', '@nestoken/crate', 'jose', '@biscuit-auth/biscuit-wasm', 'macaroon', '@noble/curves', '@noble/hashes', 'cborg'];

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    os: `${type()} ${release()} (${platform()})`,
    arch: arch(),
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    totalMemoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    node: process.version,
    v8: process.versions.v8,
    packages: Object.fromEntries(MEASURED_PACKAGES.map((n) => [n, installedVersion(n)])),
  };
}
