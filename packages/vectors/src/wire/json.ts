/**
 * Canonical JSON as spec §4.4.2 defines it (members sorted by UTF-16 code units, no white
 * space), written here from the spec rather than imported from core, so that the vectors'
 * hand-built layers are an independent check of core's encoder.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  const members = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`);
  return `{${members.join(',')}}`;
}
