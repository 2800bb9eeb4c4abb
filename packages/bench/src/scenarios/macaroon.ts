import { macaroonLib, type Macaroon } from '../peers/macaroon-lib.js';
import { VERIFY_AT, hopFacts, rootFacts, seed } from '../fixtures.js';
import { SINGLE_VERIFIER, type ChainScenario, type PreparedChain } from '../scenario.js';

/**
 * Macaroons (HMAC-SHA256 chain): one first-party caveat per hop. The verifier recomputes the
 * chain from the root secret, so it is the issuer (or shares its secret): a different trust
 * model from the public-key systems here, listed because it is the size and speed floor of
 * attenuable tokens. Serialised with the JSON v2 export: `exportBinary` in macaroon 3.0.4
 * never records its buffer's capacity, so it doubles the buffer on every append (gigabytes
 * by the third caveat, RangeError by the fourth).
 */
const ROOT_SECRET = seed('macaroon-root');

const caveat = (facts: object): string =>
  Object.entries(facts)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

function build(hops: number): Macaroon {
  const { jti, iss, ...rest } = rootFacts;
  const m = macaroonLib.newMacaroon({ identifier: jti, location: iss, rootKey: ROOT_SECRET });
  m.addFirstPartyCaveat(caveat(rest));
  for (let i = 1; i < hops; i++) m.addFirstPartyCaveat(caveat(hopFacts(i)));
  return m;
}

const serialize = (m: Macaroon): string => JSON.stringify(m.exportJSON());

/** The relying party's side: parse each caveat and enforce expiry and the operation, as the other systems do. */
function checker(now: number, counter: { n: number }): (condition: string) => string | null {
  return (condition) => {
    counter.n++;
    const fields = new Map(condition.split(' ').map((kv) => kv.split('=', 2) as [string, string]));
    const exp = fields.get('exp');
    if (exp !== undefined && !(now < Number(exp))) return 'expired';
    const op = fields.get('op');
    if (op !== undefined && op !== 'read') return `operation ${op} not allowed`;
    return null;
  };
}

function verifyWire(wire: string, hops: number, now: number): void {
  const counter = { n: 0 };
  macaroonLib.importMacaroon(JSON.parse(wire) as object).verify(ROOT_SECRET, checker(now, counter));
  if (counter.n !== hops) throw new Error(`checked ${counter.n} caveats, expected ${hops}`);
}

export function macaroonScenario(): ChainScenario {
  return {
    id: 'macaroon',
    label: 'Macaroons (HMAC)',
    family: 'peer',
    group: 'peers',
    verifiers: SINGLE_VERIFIER,
    note: 'one first-party caveat per hop, JSON v2 export; the verifier needs the root secret (no public-key verification); binary export is broken in macaroon 3.0.4',
    async prepare(hops): Promise<PreparedChain> {
      const wire = serialize(build(hops));
      const now = VERIFY_AT;
      return {
        bytes: Buffer.byteLength(wire),
        issue: () => serialize(build(hops)),
        extend: () => {
          const m = macaroonLib.importMacaroon(JSON.parse(wire) as object);
          m.addFirstPartyCaveat(caveat(hopFacts(hops)));
          return serialize(m);
        },
        verify: { verify: () => verifyWire(wire, hops, now) },
      };
    },
  };
}
