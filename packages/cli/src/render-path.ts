import type { ProvenHop, ProvenPath } from '@nestoken/core';

const when = (seconds: number): string => {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : `${date.toISOString().replace('.000Z', 'Z')} (${seconds})`;
};

function hopLines(hop: ProvenHop): string[] {
  const key = hop.keyThumbprint === undefined ? 'no key (anonymous link)' : `key ${hop.keyThumbprint} via ${hop.via}`;
  const lines = [`  #${hop.index}  ${hop.identity}`, `      ${key}, ${hop.format} layer, digest ${hop.digest}`];
  if (Object.keys(hop.claims).length > 0) lines.push(`      claims ${JSON.stringify(hop.claims)}`);
  if (hop.audienceKey !== undefined) lines.push(`      handed to key ${hop.audienceKey}`);
  return lines;
}

/** The proven path for a person: one block per hop, innermost first. */
export function renderPath(path: ProvenPath): string {
  const hops = path.hops.length === 1 ? '1 hop' : `${path.hops.length} hops`;
  const lines = [
    `valid ${path.mode} chain, ${hops}, ${path.form} form${path.mode === 'id' ? '' : path.sealed ? ', sealed' : ', not sealed'}`,
    `issuer ${path.issuer}`,
    ...(path.notBefore === undefined ? [] : [`not before ${when(path.notBefore)}`]),
    `expires ${when(path.expiresAt)}`,
    ...path.hops.flatMap(hopLines),
  ];
  return `${lines.join('\n')}\n`;
}
