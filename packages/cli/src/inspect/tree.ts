import { layerDigest, type NestokenError } from '@nestoken/core';
import type { WireLayer, WireToken } from './wire.js';

/** Header members in the order a reader looks for them; whatever else is there follows. */
const HEADER_ORDER = ['alg', 'kid', 'prv', 'typ', 'wit'];

function witSummary(wit: unknown): string {
  if (typeof wit !== 'string') return JSON.stringify(wit);
  try {
    const claims = JSON.parse(Buffer.from(wit.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown; iss?: unknown };
    const about = [claims.sub === undefined ? '' : `sub ${String(claims.sub)}`, claims.iss === undefined ? '' : `iss ${String(claims.iss)}`];
    return `identity document (${wit.length} chars${about.filter(Boolean).map((a) => `, ${a}`).join('')})`;
  } catch {
    return `identity document (${wit.length} chars, unreadable)`;
  }
}

function prvLine(prv: unknown, previous: WireLayer | undefined, index: number): string {
  if (prv === undefined) return index === 0 ? '(none: root layer)' : '(none, yet this is not the first layer)';
  const text = typeof prv === 'string' ? prv : JSON.stringify(prv);
  if (!previous) return `${text} (but there is no layer before this one)`;
  return text === layerDigest(previous.bytes) ? `${text} = digest of layer ${index - 1}` : `${text} ≠ digest of layer ${index - 1}: broken link`;
}

function layerFields(layer: WireLayer, previous: WireLayer | undefined, index: number): Array<[string, string]> {
  const problem: Array<[string, string]> = layer.problem === undefined ? [] : [['unreadable', layer.problem]];
  if (!layer.header && !layer.claims) return problem;
  const header = layer.header ?? {};
  const names = [...HEADER_ORDER.filter((k) => k in header || k === 'prv'), ...Object.keys(header).filter((k) => !HEADER_ORDER.includes(k))];
  const fields = names.map((name): [string, string] => {
    const value = header[name];
    if (name === 'prv') return [name, prvLine(value, previous, index)];
    if (name === 'wit') return [name, witSummary(value)];
    return [name, typeof value === 'string' ? value : JSON.stringify(value)];
  });
  if (layer.claims) fields.push(['claims', JSON.stringify(layer.claims)]);
  if (layer.signatureLength !== undefined) fields.push(['signature', `${layer.signatureLength} bytes`]);
  return [...fields, ...problem];
}

function branch(lines: string[], last: boolean, title: string, fields: ReadonlyArray<[string, string]>): void {
  lines.push(`${last ? '└─' : '├─'} ${title}`);
  const indent = last ? '   ' : '│  ';
  fields.forEach(([name, value], i) => lines.push(`${indent}${i === fields.length - 1 ? '└─' : '├─'} ${name}: ${value}`));
}

const proofLine = (proof: Uint8Array): string =>
  proof.length === 32 ? '32 bytes: the last scalar (whoever holds the token can extend it)' : proof.length === 64 ? '64 bytes: a seal (the chain is closed)' : `${proof.length} bytes (neither a scalar nor a seal)`;

/** A tree of the layers as they are encoded, with the structural verdict of core on top. */
export function renderTree(wire: WireToken, size: number, verdict: NestokenError | undefined): string {
  const count = wire.layers.length === 1 ? '1 layer' : `${wire.layers.length} layers`;
  const status = verdict
    ? `does not decode: ${verdict.code}${verdict.layer === undefined ? '' : ` at layer ${verdict.layer}`}: ${verdict.message}`
    : 'decodes (signatures, keys and times not checked: use verify)';
  const lines = [`${wire.form} form, ${count}, ${size} bytes: ${status}`];
  if (wire.problem !== undefined) lines.push(`└─ ${wire.problem}`);
  wire.layers.forEach((layer, i) => {
    const flagged = verdict?.layer === i ? `  <- ${verdict.code}` : '';
    const title = `layer ${i}: ${layer.format}, ${layer.bytes.length} bytes, digest ${layerDigest(layer.bytes)}${flagged}`;
    branch(lines, i === wire.layers.length - 1 && !wire.proof, title, layerFields(layer, wire.layers[i - 1], i));
  });
  if (wire.proof) lines.push(`└─ proof: ${proofLine(wire.proof)}`);
  return `${lines.join('\n')}\n`;
}
