import { carSize } from './car.js';
import { toCompactBytes } from './compact.js';
import type { Crate } from './crate.js';
import type { NodeType } from './node.js';

/** What a crate costs: nodes, bytes by type, CAR and compact sizes. */
export interface SizeReport {
  readonly nodes: number;
  readonly trimmed: number;
  readonly depth: number;
  /** Sum of the present nodes' DAG-CBOR bytes. */
  readonly nodeBytes: number;
  readonly byType: Readonly<Record<NodeType, { readonly count: number; readonly bytes: number }>>;
  /** Bytes of the token payloads alone, without node framing. */
  readonly tokenPayloadBytes: number;
  readonly carBytes: number;
  /** Characters of the compact form (base64url), as it would sit in an HTTP header. */
  readonly compactChars: number;
  /** Whether the compact form fits a typical 8 KiB header line limit (name and separator included). */
  readonly fitsHeader: boolean;
}

/** Header line budget of common servers and proxies (8 KiB), minus the header name. */
export const HEADER_BUDGET = 8192 - 'Nestoken-Crate: '.length;

/** The sizes of a crate. */
export function sizeReport(crate: Crate): SizeReport {
  const byType = { crate: { count: 0, bytes: 0 }, bucket: { count: 0, bytes: 0 }, token: { count: 0, bytes: 0 }, attestation: { count: 0, bytes: 0 } };
  let nodeBytes = 0;
  let tokenPayloadBytes = 0;
  for (const b of crate.blocks.values()) {
    nodeBytes += b.bytes.length;
    byType[b.node.type].count++;
    byType[b.node.type].bytes += b.bytes.length;
    if (b.node.type === 'token') tokenPayloadBytes += b.node.bytes.length;
  }
  const carBytes = carSize(crate);
  const compactChars = Math.ceil((toCompactBytes(crate).length * 4) / 3);
  return {
    nodes: crate.blocks.size,
    trimmed: crate.trimmed.length,
    depth: crate.depth,
    nodeBytes,
    byType,
    tokenPayloadBytes,
    carBytes,
    compactChars,
    fitsHeader: compactChars <= HEADER_BUDGET,
  };
}
