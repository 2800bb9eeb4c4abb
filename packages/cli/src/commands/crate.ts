import { decodeToken, DEFAULT_LIMITS, detectForm, importPrivateJwk, isNestokenError } from '@nestoken/core';
import type { Crate, CrateBuilder, PlainMap, TokenFormat, TokenInput } from '@nestoken/crate';
import type { Command, Io } from '../command.js';
import { commandGroup, defineCommand } from '../define.js';
import { describeShape, shapeOf } from '../input-shape.js';
import { inputName, nowSeconds, parseChoice, parseSeconds, readInput, readText, readTrust, required, TRUST_OPTIONS, TRUST_USAGE } from '../inputs.js';
import { identityDocument } from '../layer-options.js';
import { usageError } from '../usage-error.js';

/** The crate stack (CIDs, DAG-CBOR, CAR) is loaded by the crate commands only: `nestoken verify` never pays for it. */
const crates = (): Promise<typeof import('@nestoken/crate')> => import('@nestoken/crate');

const IN = { in: { type: 'string', value: 'CRATE', description: 'the crate, a CAR file or the compact form', defaultText: 'standard input' } } as const;
const OUT = {
  out: { type: 'string', value: 'FILE', description: 'write the crate to FILE', defaultText: 'standard output' },
  form: { type: 'string', choices: ['car', 'compact'], description: 'the form written', defaultText: 'car to a file, compact to standard output' },
} as const;
const OUT_USAGE = '[--out FILE] [--form car|compact]';
const TOKENS = {
  bucket: { type: 'string', value: 'NAME', description: 'the name of the bucket the tokens go into' },
  token: { type: 'string', multiple: true, value: 'FILE', description: 'a token file to put in the bucket' },
  format: { type: 'string', choices: ['nestoken', 'jwt', 'cwt', 'other'], description: 'what the token files hold', defaultText: 'detected' },
  meta: { type: 'string', value: 'JSON', description: 'a JSON object stored beside each token' },
  claims: { type: 'string', value: 'JSON', description: "a JSON object of the bucket's own claims" },
} as const;
const TOKENS_USAGE = '--bucket NAME --token FILE [--token FILE...] [--format nestoken|jwt|cwt|other] [--meta JSON] [--claims JSON]';

async function readCrate(io: Io, path: string | undefined): Promise<Crate> {
  const bytes = await readInput(io, path);
  if (bytes.length === 0) usageError('no crate: give --in FILE or pipe one on standard input');
  try {
    return (await crates()).decodeCrate(bytes);
  } catch (e) {
    // Given a token, a key or a bundle, say so rather than report the CBOR the CAR reader tripped on.
    const shape = isNestokenError(e) ? await shapeOf(bytes) : 'other';
    if (shape === 'other' || shape === 'crate') throw e;
    return usageError(`expected a crate (a CAR file, or the compact form: base64url text), but ${inputName(path)} is ${describeShape(shape, bytes)}`);
  }
}

/** A file gets a CAR, standard output the compact form, unless --form says otherwise. */
async function writeCrate(io: Io, crate: Crate, flags: { out?: string | undefined; form?: string | undefined }): Promise<number> {
  const form = parseChoice(flags.form, ['car', 'compact'] as const, '--form') ?? (flags.out === undefined ? 'compact' : 'car');
  const { toCar, toCompact } = await crates();
  const data = form === 'car' ? toCar(crate) : `${toCompact(crate)}\n`;
  if (flags.out === undefined) io.stdout(data);
  else await io.writeFile(flags.out, data);
  return 0;
}

function jsonMap(text: string | undefined, flag: string): PlainMap | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as PlainMap;
  } catch {
    // reported below
  }
  return usageError(`${flag} must be a JSON object`);
}

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** Text forms lose the white space files add; `--format` wins, else nestoken if core reads it, JWT if it looks like one. */
function tokenInput(bytes: Uint8Array, format: TokenFormat | undefined, meta: PlainMap | undefined): TokenInput {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim();
  const printable = /^[\x21-\x7e]+$/.test(text);
  let detected: TokenFormat = format ?? 'other';
  if (format === undefined) {
    try {
      decodeToken(printable ? text : bytes, DEFAULT_LIMITS);
      detected = 'nestoken';
    } catch (e) {
      if (!isNestokenError(e)) throw e;
      if (JWS.test(text)) detected = 'jwt';
    }
  }
  // A crate holds a nestoken as raw CBOR or as JWT-form text (spec §10.2), never CBOR as base64url.
  const body =
    detected === 'nestoken' && printable && detectForm(text) === 'cbor'
      ? Uint8Array.from(Buffer.from(text, 'base64url'))
      : printable && (detected === 'nestoken' || detected === 'jwt')
        ? new TextEncoder().encode(text)
        : bytes;
  return { format: detected, bytes: body, ...(meta ? { meta } : {}) };
}

async function addBucket(io: Io, b: CrateBuilder, flags: { bucket?: string | undefined; token?: string[] | undefined; format?: string | undefined; meta?: string | undefined; claims?: string | undefined }) {
  const name = required(flags.bucket, '--bucket');
  const format = parseChoice(flags.format, (await crates()).TOKEN_FORMATS, '--format');
  const meta = jsonMap(flags.meta, '--meta');
  const claims = jsonMap(flags.claims, '--claims');
  const files = flags.token ?? [];
  const items = [];
  for (const f of files) items.push(b.token(tokenInput(await io.readFile(f), format, meta)));
  b.bucket({ name, items, ...(claims ? { claims } : {}) });
}

const sub = {
  new: defineCommand({
    name: 'crate new',
    summary: 'start a crate, empty or with one bucket of tokens',
    usage: `[${TOKENS_USAGE}] ${OUT_USAGE}`,
    options: { ...TOKENS, ...OUT },
    async run(flags, io) {
      const b = new (await crates()).CrateBuilder();
      if (flags.bucket !== undefined || flags.token !== undefined) await addBucket(io, b, flags);
      return writeCrate(io, b.build(), flags);
    },
  }),
  add: defineCommand({
    name: 'crate add',
    summary: 'extend a crate with a new bucket of tokens (a new root over the old one)',
    usage: `[--in CRATE] ${TOKENS_USAGE} ${OUT_USAGE}`,
    options: { ...IN, ...TOKENS, ...OUT },
    async run(flags, io) {
      required(flags.bucket, '--bucket');
      const b = new (await crates()).CrateBuilder(await readCrate(io, flags.in));
      await addBucket(io, b, flags);
      return writeCrate(io, b.build(), flags);
    },
  }),
  attest: defineCommand({
    name: 'crate attest',
    summary: 'sign the CIDs of nodes (default: the current root) and extend the crate with the attestation',
    usage: `[--in CRATE] --key KEY --ttl SECONDS [--now SECONDS] [--subject CID...] [--iss IDENTITY] [--wit FILE] ${OUT_USAGE}`,
    options: {
      ...IN,
      ...OUT,
      key: { type: 'string', value: 'KEY', description: 'the private JWK file the attestation is signed with' },
      ttl: { type: 'string', value: 'SECONDS', description: 'how long the attestation holds' },
      now: { type: 'string', value: 'SECONDS', description: 'the issue time, in Unix seconds', defaultText: 'the clock' },
      subject: { type: 'string', multiple: true, value: 'CID', description: 'a node the attestation signs', defaultText: 'the current root' },
      iss: { type: 'string', value: 'IDENTITY', description: 'the identity the attestation names as its issuer' },
      wit: { type: 'string', value: 'FILE', description: 'an identity document (WIT or JWT-SVID) presented with the attestation' },
    },
    async run(flags, io) {
      const keyPath = required(flags.key, '--key');
      const ttl = parseSeconds(required(flags.ttl, '--ttl'), '--ttl');
      const now = nowSeconds(flags.now);
      const key = importPrivateJwk(await readText(io, keyPath));
      const doc = await identityDocument(io, flags);
      const crate = await readCrate(io, flags.in);
      const b = new (await crates()).CrateBuilder(crate);
      const subjects = flags.subject ?? [crate.root.toString()];
      await b.attest({ key, subjects, issuedAt: now, expiresAt: now + ttl, ...(flags.iss !== undefined ? { issuer: flags.iss } : {}), ...doc });
      return writeCrate(io, b.build(), flags);
    },
  }),
  trim: defineCommand({
    name: 'crate trim',
    summary: 'keep only the named nodes (and their paths from the root); --disclose keeps whole subtrees and their attestations',
    usage: `[--in CRATE] (--keep CID... | --disclose CID...) ${OUT_USAGE}`,
    options: {
      ...IN,
      ...OUT,
      keep: { type: 'string', multiple: true, value: 'CID', description: 'a node to keep, with its path from the root' },
      disclose: { type: 'string', multiple: true, value: 'CID', description: 'a node to keep with its whole subtree and the attestations over it' },
    },
    async run(flags, io) {
      if ((flags.keep === undefined) === (flags.disclose === undefined)) usageError('give either --keep or --disclose');
      const crate = await readCrate(io, flags.in);
      const { trim, present } = await crates();
      return writeCrate(io, flags.keep ? trim(crate, flags.keep) : present(crate, flags.disclose!), flags);
    },
  }),
  merge: defineCommand({
    name: 'crate merge',
    summary: 'union crates by CID, restoring trimmed nodes; the later root wins',
    usage: `--in CRATE --in CRATE [--in CRATE...] ${OUT_USAGE}   (one --in may be - for standard input)`,
    options: { ...OUT, in: { type: 'string', multiple: true, value: 'CRATE', description: 'a crate to merge (CAR or compact); one may be - for standard input' } },
    async run(flags, io) {
      const paths = flags.in ?? [];
      if (paths.length < 2) usageError('merge needs at least two --in');
      const read = [];
      for (const p of paths) read.push(await readCrate(io, p));
      return writeCrate(io, (await crates()).mergeAll(read), flags);
    },
  }),
  verify: defineCommand({
    name: 'crate verify',
    summary: 'check every hash, link, attestation and nestoken in a crate',
    usage: `[--in CRATE] ${TRUST_USAGE} [--now SECONDS] [--attester IDENTITY...] [--json]`,
    options: {
      ...IN,
      ...TRUST_OPTIONS,
      now: { type: 'string', value: 'SECONDS', description: 'verify as of this time, in Unix seconds', defaultText: 'the clock' },
      attester: { type: 'string', multiple: true, value: 'IDENTITY', description: 'accept attestations only from IDENTITY', defaultText: 'any signer in the bundle' },
      json: { type: 'boolean', description: 'print the report as JSON' },
    },
    async run(flags, io) {
      const now = nowSeconds(flags.now);
      const trust = await readTrust(io, flags);
      const r = await (await crates()).verifyCrate(await readCrate(io, flags.in), { trust, now, ...(flags.attester ? { attesters: flags.attester } : {}) });
      if (flags.json) {
        io.stdout(`${JSON.stringify(r, null, 2)}\n`);
        return 0;
      }
      const lines = [`valid crate ${r.root}: ${r.proven.length} nodes proven, ${r.trimmed.length} trimmed, depth ${r.depth}, ${r.bytes} bytes`];
      for (const t of r.tokens) lines.push(`  token ${t.cid} ${t.format} in ${t.buckets.join('/') || '(root)'}${t.chain ? `: ${t.chain.mode} chain from ${t.chain.issuer}, ${t.chain.hops.length} hops` : ''}`);
      for (const a of r.attestations) lines.push(`  attestation ${a.cid} by ${a.attester} of ${a.subjects.join(', ')}`);
      for (const t of r.trimmed) lines.push(`  trimmed ${t}`);
      io.stdout(`${lines.join('\n')}\n`);
      return 0;
    },
  }),
  show: defineCommand({
    name: 'crate show',
    summary: 'list the nodes of a crate and its sizes (no signatures checked)',
    usage: '[--in CRATE] [--json]',
    options: { ...IN, json: { type: 'boolean', description: 'print the nodes and sizes as JSON' } },
    async run(flags, io) {
      const crate = await readCrate(io, flags.in);
      const nodes = [...crate.blocks.values()].map((b) => {
        const n = b.node;
        const detail = n.type === 'bucket' ? JSON.stringify(n.name) : n.type === 'token' ? `${n.format} ${n.bytes.length} B` : n.type === 'attestation' ? `of ${n.subjects.length}` : `v${n.version}${n.prev ? ` prev ${n.prev.toString()}` : ''}`;
        return { cid: b.cid.toString(), type: n.type, bytes: b.bytes.length, detail, links: b.links.map((l) => l.cid.toString()) };
      });
      const size = (await crates()).sizeReport(crate);
      if (flags.json) {
        io.stdout(`${JSON.stringify({ root: crate.root.toString(), nodes, trimmed: crate.trimmed.map(String), size }, null, 2)}\n`);
        return 0;
      }
      const lines = [`crate ${crate.root.toString()}`, `  ${size.nodes} nodes, ${size.trimmed} trimmed, depth ${size.depth}; CAR ${size.carBytes} B, compact ${size.compactChars} chars${size.fitsHeader ? '' : ' (too large for one header line)'}`];
      for (const n of nodes) lines.push(`  ${n.cid} ${n.type.padEnd(11)} ${String(n.bytes).padStart(6)} B  ${n.detail}`);
      for (const t of crate.trimmed) lines.push(`  ${t.toString()} trimmed`);
      io.stdout(`${lines.join('\n')}\n`);
      return 0;
    },
  }),
  graph: defineCommand({
    name: 'crate graph',
    summary: 'print the DAG as Mermaid or Graphviz DOT',
    usage: '[--in CRATE] [--as mermaid|dot]',
    options: { ...IN, as: { type: 'string', choices: ['mermaid', 'dot'], description: 'the graph language', defaultText: 'mermaid' } },
    async run(flags, io) {
      const format = parseChoice(flags.as, ['mermaid', 'dot'] as const, '--as') ?? 'mermaid';
      const crate = await readCrate(io, flags.in);
      io.stdout((await crates()).graph(crate, format));
      return 0;
    },
  }),
} satisfies Record<string, Command>;

/** `nestoken crate SUBCOMMAND ...`: crates travel as CAR files or, on standard streams, in the compact header form. */
export const crateCommand: Command = commandGroup(
  'crate',
  'hash-addressed token crates: new, add, attest, trim, merge, verify, show, graph',
  'CRATE: a CAR file or the compact form; standard input when --in is absent',
  sub,
);
