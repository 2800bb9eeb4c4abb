import type { Crate } from './crate.js';
import type { CrateNode, LinkField, NodeType } from './node.js';
import { cidKey } from './cid.js';

/** The text `graph` writes: Mermaid or Graphviz DOT. */
export type GraphFormat = 'mermaid' | 'dot';

/** A node of the picture: a present node by its type, or a trimmed one, with its label lines. */
export interface GraphNode {
  readonly key: string;
  readonly kind: NodeType | 'trimmed';
  readonly lines: readonly string[];
}

/** A link from one node to another, by the field that holds it. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly field: LinkField;
}

type Shown = GraphNode;

const short = (key: string): string => `…${key.slice(-8)}`;
const clip = (s: string, n = 40): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Names come from the crate, so they are untrusted: no control characters reach the output. */
const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');

function linesOf(node: CrateNode, key: string): string[] {
  switch (node.type) {
    case 'crate':
      return [`crate v${node.version}`, short(key)];
    case 'bucket':
      return [`bucket ${clip(printable(node.name))}`, short(key)];
    case 'token':
      return [`token ${node.format}, ${node.bytes.length} B`, short(key)];
    case 'attestation':
      return [`attestation of ${node.subjects.length}`, short(key)];
  }
}

function nodesOf(crate: Crate): Shown[] {
  const shown: Shown[] = [...crate.blocks].map(([key, b]) => ({ key, kind: b.node.type, lines: linesOf(b.node, key) }));
  for (const cid of crate.trimmed) shown.push({ key: cidKey(cid), kind: 'trimmed', lines: ['trimmed', short(cidKey(cid))] });
  return shown;
}

function edgesOf(crate: Crate): GraphEdge[] {
  return [...crate.blocks].flatMap(([from, b]) => b.links.map((l) => ({ from, to: cidKey(l.cid), field: l.field })));
}

const MERMAID_SHAPES: Record<Shown['kind'], [string, string]> = {
  crate: ['[[', ']]'],
  bucket: ['[', ']'],
  token: ['([', '])'],
  attestation: ['{{', '}}'],
  trimmed: ['[', ']'],
};

const mermaidText = (s: string): string =>
  s.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

function mermaid(crate: Crate): string {
  const nodes = nodesOf(crate);
  const id = new Map(nodes.map((n, i) => [n.key, `n${i}`]));
  const out = ['flowchart TD'];
  for (const n of nodes) {
    const [open, close] = MERMAID_SHAPES[n.kind];
    out.push(`  ${id.get(n.key)}${open}"${n.lines.map(mermaidText).join('<br/>')}"${close}${n.kind === 'trimmed' ? ':::trimmed' : ''}`);
  }
  for (const e of edgesOf(crate)) {
    const arrow = e.field === 'prev' || e.field === 'subjects' ? '-.->' : '-->';
    out.push(`  ${id.get(e.from)} ${arrow}|${e.field}| ${id.get(e.to)}`);
  }
  out.push('  classDef trimmed stroke-dasharray: 4 4,fill:#eeeeee');
  return `${out.join('\n')}\n`;
}

const DOT_SHAPES: Record<Shown['kind'], string> = {
  crate: 'shape=box3d',
  bucket: 'shape=folder',
  token: 'shape=note',
  attestation: 'shape=hexagon',
  trimmed: 'shape=box, style=dashed, color=gray50',
};

const dotText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

function dot(crate: Crate): string {
  const out = ['digraph crate {', '  rankdir=TB;', '  node [fontname="monospace"];'];
  for (const n of nodesOf(crate)) out.push(`  "${n.key}" [label="${n.lines.map(dotText).join('\\n')}", ${DOT_SHAPES[n.kind]}];`);
  for (const e of edgesOf(crate)) {
    const style = e.field === 'prev' || e.field === 'subjects' ? ', style=dashed' : '';
    out.push(`  "${e.from}" -> "${e.to}" [label="${e.field}"${style}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** The DAG as nodes (present and trimmed, labelled) and edges: what `graph` writes, for drawing it otherwise. */
export function graphModel(crate: Crate): { readonly nodes: readonly GraphNode[]; readonly edges: readonly GraphEdge[] } {
  return { nodes: nodesOf(crate), edges: edgesOf(crate) };
}

/** The DAG as text a person can render: Mermaid flowchart or Graphviz DOT. */
export function graph(crate: Crate, format: GraphFormat = 'mermaid'): string {
  return format === 'dot' ? dot(crate) : mermaid(crate);
}
