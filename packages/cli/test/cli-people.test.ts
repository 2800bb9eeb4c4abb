import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashCompletion } from '../src/completion.js';
import { COMMANDS } from '../src/commands/index.js';
import type { Command } from '../src/command.js';
import { nodeIo } from '../src/node-io.js';
import { closest } from '../src/suggest.js';
import { VERSION } from '../src/version.js';
import { MemoryIo } from './memory-io.js';

/** The command line for people: versions, help, suggestions, messages about the input, completion. */
const everyCommand = (commands: readonly Command[]): Command[] => commands.flatMap((c) => [c, ...everyCommand(c.subcommands ?? [])]);

describe('help and version', () => {
  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V', 'version']) expect(await new MemoryIo().run([flag])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('`help COMMAND` lists every option of every command, with its meaning, and defaults where there are', async () => {
    const io = new MemoryIo();
    for (const command of everyCommand(COMMANDS)) {
      const r = await io.run(['help', ...command.name.split(' ')]);
      expect(r.code, command.name).toBe(0);
      expect(r.stdout).toContain(`nestoken ${command.name}: ${command.summary}`);
      for (const [name, o] of Object.entries(command.options ?? {})) {
        expect(o.description, `${command.name} --${name} has no description`).toMatch(/\w/);
        expect(r.stdout).toMatch(new RegExp(`--${name}\\b.*${o.description!.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        if (o.defaultText) expect(r.stdout).toContain(`default: ${o.defaultText}`);
      }
      for (const s of command.subcommands ?? []) expect(r.stdout).toContain(s.summary);
    }
    expect((await io.run(['verify', '--help'])).stdout).toBe((await io.run(['help', 'verify'])).stdout);
    expect((await io.run(['crate', 'help', 'trim'])).stdout).toBe((await io.run(['help', 'crate', 'trim'])).stdout);
  });
});

describe('did you mean', () => {
  it.each([
    [['verfy'], 'no command verfy (did you mean verify?)'],
    [['crate', 'nwe'], 'no subcommand nwe (did you mean new?)'],
    [['vectors', 'chek'], 'no subcommand chek (did you mean check?)'],
    [['verify', '--any-audience', '--tust', 'x'], 'unknown option --tust (did you mean --trust?)'],
    [['issue', '--aud-kye', 'x'], 'unknown option --aud-kye (did you mean --aud-key?)'],
    [['help', 'inpsect'], 'no command inpsect (did you mean inspect?)'],
  ])('%j', async (argv, message) => {
    const r = await new MemoryIo().run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('suggests nothing far off', () => {
    expect(closest('zzzzzz', ['verify', '--any-audience', 'inspect'])).toBeUndefined();
    expect(closest('insp', ['verify', '--any-audience', 'inspect'])).toBe('inspect');
  });
});

describe('messages say what the input is when it is not what the command reads', () => {
  const world = async () => {
    const io = new MemoryIo();
    const a = JSON.parse((await io.run(['keygen', '--sub', 'spiffe://example.org/a', '--seed', '01'.repeat(32)])).stdout) as Record<string, unknown>;
    io.files.set('a.jwk', new TextEncoder().encode(JSON.stringify(a)));
    const pub = (await io.run(['keygen', '--public', '--in', 'a.jwk'])).stdout;
    io.files.set('a.pub', new TextEncoder().encode(pub));
    io.files.set('trust.json', new TextEncoder().encode(JSON.stringify({ keys: [JSON.parse(pub)] })));
    expect((await io.run(['issue', '--key', 'a.jwk', '--aud-key', 'a.pub', '--ttl', '60', '--out', 'token'])).code).toBe(0);
    expect((await io.run(['crate', 'new', '--bucket', 'b', '--token', 'token', '--out', 'crate.car'])).code).toBe(0);
    return io;
  };

  it.each([
    [['verify', '--any-audience', '--trust', 'trust.json', '--in', 'a.jwk'], 'expected a token, but a.jwk is a JSON Web Key'],
    [['inspect', '--in', 'trust.json'], 'expected a token, but trust.json is a JSON document with "keys", a trust bundle'],
    [['verify', '--any-audience', '--trust', 'trust.json', '--in', 'crate.car'], 'expected a token, but crate.car is a crate'],
    [['crate', 'verify', '--trust', 'trust.json', '--in', 'token'], 'expected a crate (a CAR file, or the compact form: base64url text), but token is a nestoken token in JWT form'],
    [['crate', 'show', '--in', 'a.pub'], 'but a.pub is a JSON Web Key'],
    [['verify', '--any-audience', '--trust', 'a.pub', '--in', 'token'], 'expected a trust bundle ({"keys": [JWK, ...]}), but a.pub is a JSON Web Key'],
  ])('%j', async (argv, message) => {
    const r = await (await world()).run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('messages are one line of text', () => {
  it('control characters quoted from the input are escaped, not printed (found by the inspect fuzz test)', async () => {
    // A COSE root whose alg is the text "nst-r25\n": core quotes it in its message.
    const { encode, Tagged } = await import('cborg');
    const header = encode(new Map<number, unknown>([[1, 'nst-r25\n'], [4, new Uint8Array(32)]]));
    const token = Buffer.from(encode(new Tagged(18, [header, new Map(), encode(new Map()), new Uint8Array(32)]))).toString('base64url') + '~AAAA';
    const r = await new MemoryIo().run(['inspect'], token);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERR_[A-Z0-9_]+: [^\n]*(?:\\u000a|\\n)[^\n]*\n$/);
  });
});

describe('files', () => {
  it('generated vector files are readable by others (keys and tokens stay owner-only)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestoken-cli-'));
    try {
      const io = nodeIo();
      await io.writeFile(join(dir, 'v.json'), '{}', 'public');
      await io.writeFile(join(dir, 'k.jwk'), '{}');
      expect(statSync(join(dir, 'v.json')).mode & 0o044).toBe(0o044 & ~process.umask());
      expect(statSync(join(dir, 'k.jwk')).mode & 0o077).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`vectors check` where there are no vectors says where they come from', async () => {
    const r = await new MemoryIo().run(['vectors', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no id.json in test-vectors/v1');
    expect(r.stderr).toContain('nestoken vectors generate --seed nestoken-v1 --out DIR');
  });
});

describe('shell completion', () => {
  const complete = (line: string[]): string[] => {
    const script = `${bashCompletion(COMMANDS)}\nCOMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _nestoken; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: tmpdir() });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('bash completes commands, subcommands, options and closed value sets from the command table', () => {
    expect(complete(['nestoken', 've'])).toEqual(['verify', '--any-audience', 'vectors', '--version'].filter((w) => w.startsWith('ve')));
    expect(complete(['nestoken', 'crate', 't'])).toEqual(['trim']);
    expect(complete(['nestoken', 'crate', 'trim', '--d'])).toEqual(['--disclose']);
    expect(complete(['nestoken', 'verify', '--re'])).toEqual(['--require-sealed']);
    expect(complete(['nestoken', 'issue', '--format', ''])).toEqual(['jwt', 'cbor']);
    expect(complete(['nestoken', 'help', 'cr'])).toEqual(['crate']);
  });

  it('`completion bash` and `completion zsh` print their scripts', async () => {
    const io = new MemoryIo();
    expect((await io.run(['completion', 'bash'])).stdout).toContain('complete -o default -F _nestoken nestoken');
    const zsh = (await io.run(['completion', 'zsh'])).stdout;
    expect(zsh.startsWith('#compdef nestoken')).toBe(true);
    expect(zsh).toContain("'verify') items=(");
    expect(spawnSync('bash', ['-n', '-c', (await io.run(['completion', 'bash'])).stdout]).status).toBe(0);
  });
});
