import { layerDigest, type NestokenError } from '@nestoken/core';
import type { WireLayer, WireToken } from './wire.js';

/** Header members in the order a reader looks for them; whatever else is there follows. */
const HEADER_ORDER = ['alg', 'kid', 'prv', 'doc', 'typ'];

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const isIdAlg = (alg: unknown): boolean => typeof alg === 'string' && !alg.startsWith('nst-r255');

/**
 * What a layer signs but does not send (spec §4.6), from the layer before it as the wire has
 * it: shown for reading, not checked — only `verify` knows whether the layer signed these.
 */
function impliedFields(header: Record<string, unknown>, previous: WireLayer | undefined, previousAlg: unknown, index: number): Record<string, string> {
  if (!previous) return { prv: index === 0 ? '(none: root layer)' : '(none: no layer before this one)' };
  const alg = header.alg ?? previousAlg;
  const implied: Record<string, string> = {};
  if (header.alg === undefined) implied.alg = `${text(previousAlg)} (implied: the alg of layer ${index - 1})`;
  const jkt = (previous.claims?.cnf as { jkt?: unknown } | undefined)?.jkt;
  if (header.kid === undefined && isIdAlg(typeof alg === 'string' ? alg.split(' ')[0] : alg)) implied.kid = `${text(jkt)} (implied: cnf.jkt of layer ${index - 1})`;
  implied.prv = `${layerDigest(previous.bytes)} = digest of layer ${index - 1} (implied: signed, not sent)`;
  return implied;
}

function layerFields(layer: WireLayer, previous: WireLayer | undefined, previousAlg: unknown, index: number, documents: ReadonlySet<string>): Array<[string, string]> {
  const problem: Array<[string, string]> = layer.problem === undefined ? [] : [['unreadable', layer.problem]];
  if (!layer.header && !layer.claims) return problem;
  const header = layer.header ?? {};
  const shown: Record<string, string> = { ...impliedFields(header, previous, previousAlg, index) };
  for (const [k, v] of Object.entries(header)) {
    shown[k] = k === 'doc' ? `${text(v)} (identity document: ${documents.has(text(v)) ? 'in the token' : 'not in the token: the verifier must hold it'})` : text(v);
  }
  const names = [...HEADER_ORDER.filter((k) => k in shown), ...Object.keys(shown).filter((k) => !HEADER_ORDER.includes(k))];
  const fields = names.map((name): [string, string] => [name, shown[name]!]);
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
  const documents = new Set((wire.documents ?? []).map((d) => d.digest));
  const documentsLast = wire.documents !== undefined && wire.documents.length > 0;
  // Each layer's alg as sent or implied, so an implied one carries on down the chain.
  const algs: unknown[] = [];
  wire.layers.forEach((layer, i) => algs.push(layer.header?.alg ?? algs[i - 1]));
  wire.layers.forEach((layer, i) => {
    const flagged = verdict?.layer === i ? `  <- ${verdict.code}` : '';
    const title = `layer ${i}: ${layer.format}, ${layer.bytes.length} bytes, digest ${layerDigest(layer.bytes)}${flagged}`;
    branch(lines, i === wire.layers.length - 1 && !wire.proof && !documentsLast, title, layerFields(layer, wire.layers[i - 1], algs[i - 1], i, documents));
  });
  if (wire.proof) lines.push(`${documentsLast ? '├─' : '└─'} proof: ${proofLine(wire.proof)}`);
  if (documentsLast) {
    branch(lines, true, `documents: ${wire.documents!.length}, each sent once`, wire.documents!.map((d): [string, string] => [d.digest, d.summary]));
  }
  return `${lines.join('\n')}\n`;
}
