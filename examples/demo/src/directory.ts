import type { Workload, WorkloadName } from './world.js';

/** Where each party listens; filled in once the system picked the ports. */
export type Directory = Map<WorkloadName | 'issuer', string>;

export interface Peer {
  readonly url: string;
  readonly workload: Workload;
}

export function peer(directory: Directory, workload: Workload): Peer {
  const url = directory.get(workload.name);
  if (!url) throw new Error(`${workload.name} is not listening`);
  return { url, workload };
}
