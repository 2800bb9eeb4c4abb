import type { BenchResults, ChainRow } from '../results.js';
import { lineChart, type Series } from './svg.js';

const style = (row: ChainRow): Series['style'] => (row.family === 'nestoken' ? 'solid' : row.family === 'peer' ? 'dashed' : 'dotted');

const sameSeries = (a: Series, b: Series) => a.points.length === b.points.length && a.points.every((p, i) => p.x === b.points[i]!.x && p.y === b.points[i]!.y);

/** One line per distinct token: verifier variants and crypto backends share their bytes. */
function sizeSeries(results: BenchResults): Series[] {
  const out: Series[] = [];
  for (const row of results.chains) {
    const points = row.points.filter((p) => p.bytes !== null).map((p) => ({ x: p.hops, y: p.bytes! }));
    if (points.length === 0) continue;
    const series: Series = { label: row.sizeLabel, points, style: style(row) };
    const namesake = out.find((s) => s.label === series.label);
    if (namesake && sameSeries(namesake, series)) continue;
    // Same name, different bytes: keep both, under their full labels.
    out.push(namesake ? { ...series, label: row.label } : series);
  }
  return out;
}

export function sizeChart(results: BenchResults): string {
  return lineChart({
    title: `Token size vs hops (${results.profile} run)`,
    xLabel: 'hops (log scale)',
    yLabel: 'bytes on the wire (log scale)',
    series: sizeSeries(results),
    yFormat: (v) => (v >= 1e6 ? `${v / 1e6} MB` : v >= 1e3 ? `${v / 1e3} kB` : `${v} B`),
  });
}

export function verifyChart(results: BenchResults): string {
  return lineChart({
    title: `Verify the whole chain vs hops (median, ${results.profile} run)`,
    xLabel: 'hops (log scale)',
    yLabel: 'milliseconds (log scale)',
    series: results.chains.map((row) => ({
      label: row.label,
      points: row.points.map((p) => ({ x: p.hops, y: p.verify.medianMs })),
      style: style(row),
      ...(row.family === 'floor' ? { color: '#000000' } : {}),
    })),
    yFormat: (v) => (v >= 1 ? `${v} ms` : v >= 1e-3 ? `${+(v * 1e3).toPrecision(3)} µs` : `${v} ms`),
  });
}
