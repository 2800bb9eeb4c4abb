import type { Biscuit as Token, KeyPair, PrivateKey, PublicKey } from '@biscuit-auth/biscuit-wasm';
import { VERIFY_AT, hopFacts, rootFacts } from '../fixtures.js';
import { loadBiscuit, type Biscuit } from '../peers/biscuit-loader.js';
import type { ChainScenario, PreparedChain } from '../scenario.js';


const date = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** The authority block: the root facts, and a time check standing in for `exp`. */
function authorityCode(): string {
  const r = rootFacts;
  return [
    `issuer(${JSON.stringify(r.iss)});`,
    `user(${JSON.stringify(r.sub)});`,
    `audience(${JSON.stringify(r.aud)});`,
    `issued_at(${date(r.iat)});`,
    `jti(${JSON.stringify(r.jti)});`,
    `scope(${JSON.stringify(r.scope)});`,
    `check if time($t), $t <= ${date(r.exp)};`,
  ].join('\n');
}

/** One attenuation block per hop: who the hop is, when, and a check that narrows what the token allows. */
function hopCode(i: number): string {
  const h = hopFacts(i);
  return `hop(${h.hop}, ${JSON.stringify(h.iss)}, ${date(h.iat)});\ncheck if operation(${JSON.stringify(h.op)});`;
}

/**
 * The default authorizer time limit (1 ms) trips on long chains, and in this wasm build any
 * limit under a few hundred milliseconds reports Timeout even on runs that take a few ms;
 * 1 s keeps the authorizer from aborting without changing what it computes.
 */
const LIMITS = { max_facts: 10_000, max_iterations: 1_000, max_time_micro: 1_000_000 };

function authorizerCode(): string {
  return `time(${date(VERIFY_AT)});\noperation("read");\nallow if user($u);`;
}

function appendHop(lib: Biscuit, token: Token, i: number): Token {
  const block = lib.Biscuit.block_builder();
  block.addCode(hopCode(i));
  const next = token.appendBlock(block);
  block.free();
  return next;
}

function build(lib: Biscuit, root: PrivateKey, hops: number): Uint8Array {
  const builder = lib.Biscuit.builder();
  builder.addCode(authorityCode());
  // build takes ownership of the builder (freeing it again would throw); appendBlock only borrows.
  let token = builder.build(root);
  for (let i = 1; i < hops; i++) {
    const next = appendHop(lib, token, i);
    token.free();
    token = next;
  }
  const bytes = token.toBytes();
  token.free();
  return bytes;
}

function parse(lib: Biscuit, bytes: Uint8Array, root: PublicKey, hops: number): Token {
  const token = lib.Biscuit.fromBytes(bytes, root);
  if (token.countBlocks() !== hops) {
    token.free();
    throw new Error(`biscuit has ${token.countBlocks()} blocks, expected ${hops}`);
  }
  return token;
}

function authorize(lib: Biscuit, bytes: Uint8Array, root: PublicKey, hops: number): void {
  const token = parse(lib, bytes, root, hops);
  try {
    const builder = new lib.AuthorizerBuilder();
    builder.addCode(authorizerCode());
    // buildAuthenticated takes ownership of the builder: freeing it again would throw.
    const authorizer = builder.buildAuthenticated(token);
    try {
      const policy = authorizer.authorizeWithLimits(LIMITS);
      if (policy !== 0) throw new Error(`biscuit authorizer matched policy ${policy}`);
    } finally {
      authorizer.free();
    }
  } finally {
    token.free();
  }
}

export function biscuitScenario(): ChainScenario {
  let lib: Biscuit | undefined;
  let root: KeyPair | undefined;
  return {
    id: 'biscuit',
    label: 'Biscuit',
    family: 'peer',
    group: 'peers',
    verifiers: [
      { id: 'signatures', label: 'signatures' },
      { id: 'authorized', label: '+ authorizer' },
    ],
    note: 'one attenuation block (datalog facts + check) per hop, Ed25519; "signatures" parses and checks every block signature, "authorized" also runs the datalog authorizer',
    async setup() {
      lib = await loadBiscuit();
      root = new lib.KeyPair(lib.SignatureAlgorithm.Ed25519);
    },
    teardown() {
      root?.free();
      root = undefined;
    },
    async prepare(hops): Promise<PreparedChain> {
      const b = lib!;
      const priv = root!.getPrivateKey();
      const pub = root!.getPublicKey();
      const bytes = build(b, priv, hops);
      return {
        bytes: bytes.length,
        issue: () => build(b, priv, hops),
        extend: () => {
          const token = parse(b, bytes, pub, hops);
          const next = appendHop(b, token, hops);
          token.free();
          const out = next.toBytes();
          next.free();
          return out;
        },
        verify: {
          signatures: () => parse(b, bytes, pub, hops).free(),
          authorized: () => authorize(b, bytes, pub, hops),
        },
        dispose() {
          priv.free();
          pub.free();
        },
      };
    },
  };
}
