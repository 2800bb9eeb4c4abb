import type { GraphNode } from '@nestoken/crate';
import { bytes, h, short, svg } from './dom.js';
import type { CrateView } from './model.js';
import { verdictBanner } from './view-chain.js';

const W = 190;
const H = 58;
const GAP_X = 24;
const GAP_Y = 46;

/** Rows by distance from the root (breadth first over the links); nodes nothing reaches go last. */
function rows(view: CrateView): GraphNode[][] {
  const byKey = new Map(view.nodes.map((n) => [n.key, n]));
  const depth = new Map<string, number>();
  const rootKey = (view.nodes.find((n) => n.key === view.root) ?? view.nodes.find((n) => !view.edges.some((e) => e.to === n.key)) ?? view.nodes[0])?.key;
  const queue = rootKey ? [rootKey] : [];
  if (rootKey) depth.set(rootKey, 0);
  while (queue.length) {
    const at = queue.shift()!;
    for (const e of view.edges) {
      if (e.from !== at || depth.has(e.to) || !byKey.has(e.to)) continue;
      depth.set(e.to, depth.get(at)! + 1);
      queue.push(e.to);
    }
  }
  const out: GraphNode[][] = [];
  const last = Math.max(0, ...depth.values()) + 1;
  for (const n of view.nodes) (out[depth.get(n.key) ?? last] ??= []).push(n);
  return out.filter(Boolean);
}

/** The crate as a picture: one box per node, trimmed nodes dashed and grey, links labelled by field. */
export function crateGraph(view: CrateView): SVGElement {
  const layout = rows(view);
  const width = Math.max(...layout.map((r) => r.length)) * (W + GAP_X) + GAP_X;
  const height = layout.length * (H + GAP_Y) + GAP_Y;
  const at = new Map<string, { x: number; y: number }>();
  layout.forEach((r, y) => r.forEach((n, x) => at.set(n.key, { x: GAP_X + x * (W + GAP_X) + ((width - GAP_X - r.length * (W + GAP_X)) / 2), y: GAP_Y / 2 + y * (H + GAP_Y) })));
  const edges = view.edges.flatMap((e) => {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) return [];
    const [x1, y1, x2, y2] = [a.x + W / 2, a.y + H, b.x + W / 2, b.y];
    return [
      svg('line', { x1, y1, x2, y2, class: `edge ${e.field}`, 'marker-end': 'url(#arrow)' }),
      svg('text', { x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2, class: 'edge-label' }, e.field),
    ];
  });
  const nodes = view.nodes.map((n) => {
    const p = at.get(n.key)!;
    return svg(
      'g',
      { class: `node ${n.kind}`, 'data-kind': n.kind, transform: `translate(${p.x},${p.y})` },
      svg('title', {}, n.key),
      svg('rect', { width: W, height: H, rx: n.kind === 'token' ? 18 : 4 }),
      ...n.lines.map((line, i) => svg('text', { x: 10, y: 22 + i * 20 }, line)),
    );
  });
  const defs = svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' })));
  return svg('svg', { class: 'crate-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'the crate as a graph' }, defs, ...edges, ...nodes);
}

export function crateView(view: CrateView): HTMLElement {
  const s = view.sizes;
  const trimmed = view.nodes.filter((n) => n.kind === 'trimmed').length;
  return h(
    'div',
    { class: 'crate' },
    h('h2', {}, 'Crate'),
    verdictBanner(view.verdict, 'the crate'),
    h('p', { class: 'sizes' }, `root ${short(view.root, 12)}, pasted as ${view.input === 'car' ? 'a CAR file (base64)' : 'the compact form'}. ` +
      `${s.nodes} nodes present (${bytes(s.nodeBytes)}), ${trimmed} trimmed, depth ${s.depth}; CAR ${bytes(s.carBytes)}, compact ${s.compactChars} characters ` +
      `(${s.fitsHeader ? 'fits' : 'does not fit'} an 8 KiB header)`),
    crateGraph(view),
    view.tokens.length ? h('ul', { class: 'crate-tokens' }, ...view.tokens.map((t) => h('li', {}, `${short(t.cid, 8)} · ${t.format}${t.identities ? ` · ${t.identities.join(' → ')}` : ''}`))) : undefined,
  );
}
