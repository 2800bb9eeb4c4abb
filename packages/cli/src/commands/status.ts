import type { StatusList, VerifiedStatusList } from '@nestoken/status-list';
import type { Command, Io } from '../command.js';
import { commandGroup, defineCommand } from '../define.js';
import { nowSeconds, parseChoice, parseSeconds, readInput, readPrivateKey, readTrust, required } from '../inputs.js';
import { usageError } from '../usage-error.js';

type StatusLib = typeof import('@nestoken/status-list');
/** Status lists (ZLIB, JOSE) are loaded by these subcommands only: no other command pays for them. */
const statusLists = (): Promise<StatusLib> => import('@nestoken/status-list');

const IN = { in: { type: 'string', value: 'FILE', description: 'the status list or Status List Token to read', defaultText: 'standard input' } } as const;
const OUT = { out: { type: 'string', value: 'FILE', description: 'write the result to FILE', defaultText: 'standard output' } } as const;

/** A whole number written in decimal, within 0..max. */
function parseWhole(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > max) usageError(`${flag} must be a whole number up to ${max}`);
  return n;
}

/** A status by name (VALID, INVALID, SUSPENDED) or number. */
function parseStatus({ STATUS }: StatusLib, value: string): number {
  const named = (STATUS as Record<string, number>)[value.toUpperCase()];
  return named ?? parseWhole(value, '--value', 255);
}

/** The list being edited travels as the draft's JSON StatusList, `{"bits": N, "lst": "..."}`. */
async function readList(io: Io, path: string | undefined): Promise<StatusList> {
  const bytes = await readInput(io, path);
  if (bytes.length === 0) usageError('no status list: give --in FILE or pipe one on standard input');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return usageError('the status list is not JSON: status new writes one, status sign turns it into a token');
  }
  return (await statusLists()).StatusList.fromJson(json);
}

async function write(io: Io, out: string | undefined, data: string | Uint8Array): Promise<number> {
  if (out === undefined) io.stdout(data);
  else await io.writeFile(out, data);
  return 0;
}

const listText = (list: StatusList): string => `${JSON.stringify(list.toJson())}\n`;

/** A token file: CWT bytes start with tag 18, anything else is JWT text. */
async function readListToken(io: Io, path: string | undefined): Promise<string | Uint8Array> {
  const bytes = await readInput(io, path);
  if (bytes.length === 0) usageError('no Status List Token: give --in FILE or pipe one on standard input');
  return bytes[0] === 0xd2 ? bytes : new TextDecoder().decode(bytes).trim();
}

const statusLine = ({ statusName }: StatusLib, idx: number, value: number): string => `${idx} ${value} ${statusName(value)}\n`;

function summary({ statusName }: StatusLib, v: VerifiedStatusList): Record<string, unknown> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < v.list.size; i++) {
    const name = statusName(v.list.get(i));
    counts[name] = (counts[name] ?? 0) + 1;
  }
  const { list, ...claims } = v;
  return { ...claims, bits: list.bits, size: list.size, counts };
}

const sub = {
  new: defineCommand({
    name: 'status new',
    summary: 'start an all-VALID status list of SIZE entries of BITS bits (1, 2, 4 or 8)',
    usage: '--bits N --size N [--out FILE]',
    options: {
      ...OUT,
      bits: { type: 'string', value: 'N', description: 'bits per status: 1, 2, 4 or 8' },
      size: { type: 'string', value: 'N', description: 'the number of entries' },
    },
    async run(flags, io) {
      const bits = parseWhole(required(flags.bits, '--bits'), '--bits', 8);
      const size = parseWhole(required(flags.size, '--size'), '--size');
      return write(io, flags.out, listText((await statusLists()).StatusList.create(bits, size)));
    },
  }),
  set: defineCommand({
    name: 'status set',
    summary: 'set the status of entries (VALID, INVALID, SUSPENDED or a number that fits the bits)',
    usage: '--idx I [--idx I...] --value V [--in FILE] [--out FILE]',
    options: {
      ...IN,
      ...OUT,
      idx: { type: 'string', multiple: true, value: 'I', description: 'an entry to set' },
      value: { type: 'string', value: 'V', description: 'VALID, INVALID, SUSPENDED or a number that fits the bits' },
    },
    async run(flags, io) {
      const idx = required(flags.idx, '--idx').map((i) => parseWhole(i, '--idx'));
      const value = parseStatus(await statusLists(), required(flags.value, '--value'));
      const list = await readList(io, flags.in);
      for (const i of idx) list.set(i, value);
      return write(io, flags.out, listText(list));
    },
  }),
  sign: defineCommand({
    name: 'status sign',
    summary: 'sign a status list as a Status List Token (JWT by default, or CWT bytes)',
    usage: '--key KEY --uri URI --ttl SECONDS [--in FILE] [--exp SECONDS] [--now SECONDS] [--iss IDENTITY] [--format jwt|cwt] [--out FILE]',
    options: {
      ...IN,
      ...OUT,
      key: { type: 'string', value: 'KEY', description: "the publisher's private JWK file" },
      uri: { type: 'string', value: 'URI', description: 'the URI the list is published at (the token\'s sub)' },
      ttl: { type: 'string', value: 'SECONDS', description: 'how long relying parties may cache the list' },
      exp: { type: 'string', value: 'SECONDS', description: 'the expiry, in Unix seconds', defaultText: 'none' },
      now: { type: 'string', value: 'SECONDS', description: 'the issue time, in Unix seconds', defaultText: 'the clock' },
      iss: { type: 'string', value: 'IDENTITY', description: 'the issuer the token names' },
      format: { type: 'string', choices: ['jwt', 'cwt'], description: 'the token form', defaultText: 'jwt' },
    },
    async run(flags, io) {
      const key = await readPrivateKey(io, required(flags.key, '--key'));
      const uri = required(flags.uri, '--uri');
      const ttl = parseSeconds(required(flags.ttl, '--ttl'), '--ttl');
      const iat = nowSeconds(flags.now);
      const format = parseChoice(flags.format, ['jwt', 'cwt'] as const, '--format') ?? 'jwt';
      const init = {
        list: await readList(io, flags.in),
        uri,
        key,
        iat,
        ttl,
        ...(flags.exp === undefined ? {} : { exp: iat + parseSeconds(flags.exp, '--exp') }),
        ...(flags.iss === undefined ? {} : { issuer: flags.iss }),
      };
      const { signStatusListCwt, signStatusListJwt } = await statusLists();
      return write(io, flags.out, format === 'cwt' ? await signStatusListCwt(init) : `${await signStatusListJwt(init)}\n`);
    },
  }),
  get: defineCommand({
    name: 'status get',
    summary: 'print the status of entries: "IDX VALUE NAME"; a signed token is verified first (--trust)',
    usage: '--idx I [--idx I...] [--in FILE] [--trust BUNDLE...] [--now SECONDS]',
    options: {
      ...IN,
      idx: { type: 'string', multiple: true, value: 'I', description: 'an entry to print' },
      trust: { type: 'string', multiple: true, value: 'BUNDLE', description: 'a trust bundle to verify a signed token against first' },
      now: { type: 'string', value: 'SECONDS', description: 'verify as of this time, in Unix seconds', defaultText: 'the clock' },
    },
    async run(flags, io) {
      const idx = required(flags.idx, '--idx').map((i) => parseWhole(i, '--idx'));
      const lib = await statusLists();
      const list = flags.trust === undefined ? await readList(io, flags.in) : (await lib.verifyStatusListToken(await readListToken(io, flags.in), { trust: await readTrust(io, flags), now: nowSeconds(flags.now) })).list;
      io.stdout(idx.map((i) => statusLine(lib, i, list.get(i))).join(''));
      return 0;
    },
  }),
  verify: defineCommand({
    name: 'status verify',
    summary: 'verify a Status List Token (either form) against a trust bundle; print its claims and status counts',
    usage: '--trust BUNDLE [--trust BUNDLE...] [--in FILE] [--uri URI] [--now SECONDS] [--json]',
    options: {
      ...IN,
      trust: { type: 'string', multiple: true, value: 'BUNDLE', description: "a trust bundle naming the publisher's key; several are merged" },
      uri: { type: 'string', value: 'URI', description: 'the URI the token must name as its sub' },
      now: { type: 'string', value: 'SECONDS', description: 'verify as of this time, in Unix seconds', defaultText: 'the clock' },
      json: { type: 'boolean', description: 'print the claims and counts as JSON' },
    },
    async run(flags, io) {
      const lib = await statusLists();
      const v = await lib.verifyStatusListToken(await readListToken(io, flags.in), {
        trust: await readTrust(io, flags),
        now: nowSeconds(flags.now),
        ...(flags.uri === undefined ? {} : { uri: flags.uri }),
      });
      const s = summary(lib, v);
      if (flags.json) io.stdout(`${JSON.stringify(s, null, 2)}\n`);
      else io.stdout(`valid status list ${v.uri} (${v.format}) signed by ${v.signer}: ${v.list.size} entries of ${v.list.bits} bits, ${Object.entries(s.counts as object).map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
      return 0;
    },
  }),
};

export const statusCommand: Command = commandGroup(
  'status',
  'OAuth Token Status Lists: new, set, sign, get, verify',
  'a list being edited is the JSON {"bits","lst"}; standard input/output when --in/--out are absent',
  sub,
);
