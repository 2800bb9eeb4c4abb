import { describe, expect, it } from 'vitest';
import { CrateBuilder, graph, HEADER_BUDGET, sizeReport, toCar, toCompact, trim } from '../src/index.js';
import { attesters, NOW, nestokens } from './fixtures.js';

async function sample() {
  const b = new CrateBuilder();
  const t = b.token({ format: 'nestoken', bytes: nestokens[0]! });
  const o = b.token({ format: 'other', bytes: Uint8Array.of(1, 2, 3) });
  b.bucket({ name: 'say "hi"\n<b>#1</b> \\ end', items: [t, o] });
  const c0 = b.build();
  const next = new CrateBuilder(c0);
  const att = await next.attest({ key: attesters[0], subjects: [c0.root], expiresAt: NOW + 60 });
  return { crate: trim(next.build(), [o, att]), trimmed: t };
}

describe('graph', () => {
  it('draws every node and link as Mermaid, with untrusted names made inert', async () => {
    const { crate, trimmed } = await sample();
    const text = graph(crate, 'mermaid');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart TD');
    const nodeLines = lines.filter((l) => /^ {2}n\d+[[({]/.test(l));
    expect(nodeLines.length).toBe(crate.blocks.size + crate.trimmed.length);
    const edgeCount = [...crate.blocks.values()].reduce((n, b) => n + b.links.length, 0);
    expect(lines.filter((l) => /-->|-\.->/.test(l)).length).toBe(edgeCount);
    expect(text).toContain(':::trimmed');
    expect(text).toContain(trimmed.toString().slice(-8));
    expect(text).toContain('say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt; \\ end');
    expect(text).toContain('-.->|prev|');
    expect(text).toContain('-.->|subjects|');
    // One line per statement: a newline in a name cannot start a new Mermaid statement.
    expect(lines.length).toBe(1 + nodeLines.length + edgeCount + 1);
  });

  it('draws DOT with quoted, escaped labels and full CIDs as node names', async () => {
    const { crate } = await sample();
    const text = graph(crate, 'dot');
    expect(text.startsWith('digraph crate {\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('label="bucket say \\"hi\\" <b>#1</b> \\\\ end');
    for (const key of crate.blocks.keys()) expect(text).toContain(`"${key}" [label=`);
    for (const cid of crate.trimmed) expect(text).toContain(`"${cid.toString()}" [label="trimmed`);
    expect(text.split('\n').filter((l) => l.includes(' -> ')).length).toBe([...crate.blocks.values()].reduce((n, b) => n + b.links.length, 0));
  });
});

describe('sizeReport', () => {
  it('adds up the nodes and matches both transport forms exactly', async () => {
    const { crate } = await sample();
    const r = sizeReport(crate);
    expect(r.nodes).toBe(crate.blocks.size);
    expect(r.trimmed).toBe(1);
    expect(r.nodeBytes).toBe([...crate.blocks.values()].reduce((n, b) => n + b.bytes.length, 0));
    expect(Object.values(r.byType).reduce((n, t) => n + t.count, 0)).toBe(r.nodes);
    expect(r.byType.token).toEqual({ count: 1, bytes: crate.blocks.get([...crate.blocks.keys()].find((k) => crate.blocks.get(k)!.node.type === 'token')!)!.bytes.length });
    expect(r.tokenPayloadBytes).toBe(3);
    expect(r.carBytes).toBe(toCar(crate).length);
    expect(r.compactChars).toBe(toCompact(crate).length);
    expect(r.fitsHeader).toBe(r.compactChars <= HEADER_BUDGET);
  });
});
