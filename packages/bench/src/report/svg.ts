/**
 * Log-log line charts as plain SVG text: no chart library, readable in a browser or on
 * GitHub. X is the hop count (log 2), Y log 10 with decade grid lines.
 */
export interface Series {
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** Dashed lines set peers apart from nestoken, dotted the floor. */
  readonly style: 'solid' | 'dashed' | 'dotted';
  /** Default: the next palette colour. */
  readonly color?: string;
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Renders a Y tick value. */
  readonly yFormat: (value: number) => string;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#ad494a', '#637939', '#843c39', '#6b6ecf', '#e6550d', '#31a354', '#7b4173', '#b5cf6b', '#636363'];
const DASH = { solid: '', dashed: '7 4', dotted: '2 3' } as const;

const W = 1060;
const H = 560;
const M = { left: 86, right: 410, top: 56, bottom: 64 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number): string => (Math.round(v * 10) / 10).toString();

export function lineChart(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2 - M.right / 2 + M.left / 2}" y="28" text-anchor="middle" font-size="17" font-weight="600">${esc(spec.title)}</text>`,
  ];
  if (all.length === 0) {
    out.push(`<text x="${M.left + PW / 2}" y="${M.top + PH / 2}" text-anchor="middle">no data</text></svg>`);
    return out.join('\n');
  }
  const x0 = Math.log2(xs[0]!);
  const x1 = Math.max(Math.log2(xs[xs.length - 1]!), x0 + 1);
  const y0 = Math.floor(Math.log10(Math.min(...all.map((p) => p.y))));
  const y1 = Math.max(Math.ceil(Math.log10(Math.max(...all.map((p) => p.y)))), y0 + 1);
  const px = (x: number) => M.left + ((Math.log2(x) - x0) / (x1 - x0)) * PW;
  const py = (y: number) => M.top + PH - ((Math.log10(y) - y0) / (y1 - y0)) * PH;

  // Grid: decades strong, 2 and 5 faint; one vertical line per measured hop count.
  for (let d = y0; d <= y1; d++) {
    const y = py(10 ** d);
    out.push(`<line x1="${M.left}" y1="${n(y)}" x2="${M.left + PW}" y2="${n(y)}" stroke="#cccccc"/>`);
    out.push(`<text x="${M.left - 8}" y="${n(y + 4)}" text-anchor="end">${esc(spec.yFormat(10 ** d))}</text>`);
    if (d < y1) {
      for (const m of [2, 5]) {
        const ym = py(m * 10 ** d);
        out.push(`<line x1="${M.left}" y1="${n(ym)}" x2="${M.left + PW}" y2="${n(ym)}" stroke="#eeeeee"/>`);
      }
    }
  }
  for (const x of xs) {
    out.push(`<line x1="${n(px(x))}" y1="${M.top}" x2="${n(px(x))}" y2="${M.top + PH}" stroke="#eeeeee"/>`);
    out.push(`<text x="${n(px(x))}" y="${M.top + PH + 20}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${M.left + PW / 2}" y="${H - 18}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(20 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);

  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts = s.points.filter((p) => p.x > 0 && p.y > 0);
    const dash = DASH[s.style] ? ` stroke-dasharray="${DASH[s.style]}"` : '';
    if (pts.length > 1) {
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map((p) => `${n(px(p.x))},${n(py(p.y))}`).join(' ')}"/>`);
    }
    for (const p of pts) out.push(`<circle cx="${n(px(p.x))}" cy="${n(py(p.y))}" r="3.5" fill="${color}"><title>${esc(`${s.label}: ${spec.yFormat(p.y)} at ${p.x} hops`)}</title></circle>`);
    const ly = M.top + 8 + i * 22;
    const lx = M.left + PW + 18;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${color}" stroke-width="2.5"${dash}/>`);
    out.push(`<circle cx="${lx + 14}" cy="${ly}" r="3.5" fill="${color}"/>`);
    out.push(`<text x="${lx + 36}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
