import { ERROR_CODES, NestokenError } from '@nestoken/core';
import { toCompact } from '@nestoken/crate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyRequest } from '../src/verify-request.js';
import { barOptions, chainToBar, ORIGIN, requestOf } from './fixtures.js';

const sent = await chainToBar({ crate: true });
const compact = toCompact(sent.crate!);
const HEADERS = ['Nestoken', 'Nestoken-Crate', 'Workload-Identity-Token', 'Workload-Proof-Token', 'Authorization'] as const;
const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Resolves to the code a request is refused with; anything but a NestokenError fails the test. */
async function refusal(headers: Record<string, string>, method = 'POST', url = '/orders'): Promise<string | undefined> {
  try {
    await verifyRequest(requestOf(headers, method, url), barOptions());
    return undefined;
  } catch (e) {
    if (!(e instanceof NestokenError)) throw e;
    expect(Object.keys(ERROR_CODES)).toContain(e.code);
    return e.code;
  }
}

const replaceAt = (s: string, i: number, c: string): string => `${s.slice(0, i)}${c}${s.slice(i + 1)}`;
const mutation = (text: string) => fc.record({ at: fc.nat(text.length - 1), to: fc.constantFrom(...B64U, '.', '~', ' ', '=') });

describe('hostile headers', () => {
  it('arbitrary header values are refused with a stable code, never thrown raw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HEADERS), fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), async (name, value, withValid) => {
        const headers = withValid ? { ...sent.headers, [name]: value } : { [name]: value };
        expect(await refusal(headers)).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('any changed character of the token is refused', async () => {
    await fc.assert(
      fc.asyncProperty(mutation(sent.token), async ({ at, to }) => {
        const token = replaceAt(sent.token, at, to);
        fc.pre(token !== sent.token);
        expect(await refusal({ ...sent.headers, Nestoken: token })).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('any changed character of the Workload-Identity-Token is another document than the last layer names (spec §11.1)', async () => {
    const wit = sent.headers['Workload-Identity-Token']!;
    await fc.assert(
      fc.asyncProperty(mutation(wit), async ({ at, to }) => {
        const text = replaceAt(wit, at, to);
        fc.pre(text !== wit);
        expect(await refusal({ ...sent.headers, 'Workload-Identity-Token': text })).toBe('ERR_DOCUMENT_MISMATCH');
      }),
      { numRuns: 300 },
    );
  });

  it('any changed character of the crate is refused, unless it decodes to the very same crate', async () => {
    await fc.assert(
      fc.asyncProperty(mutation(compact), async ({ at, to }) => {
        const text = replaceAt(compact, at, to);
        fc.pre(text !== compact);
        try {
          const ctx = await verifyRequest(requestOf({ ...sent.headers, 'Nestoken-Crate': text }), barOptions());
          expect(toCompact(ctx.crate!.crate)).toBe(compact);
        } catch (e) {
          expect(e).toBeInstanceOf(NestokenError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('dropping, repeating or reordering layers is refused', async () => {
    const layers = sent.token.split('~');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(layers.length - 1), { minLength: 1, maxLength: 5 }), async (order) => {
        fc.pre(order.join() !== '0,1,2');
        expect(await refusal({ ...sent.headers, Nestoken: order.map((i) => layers[i]).join('~') })).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });

  it('the token is refused for any other method or path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), fc.oneof(fc.webPath(), fc.webUrl(), fc.string({ unit: 'binary' })), async (method, url) => {
        const path = url.startsWith('/') || /^https?:/i.test(url) ? url : `/${url}`;
        fc.pre(!(method === 'POST' && /^(https?:\/\/[^/?#]*)?\/orders([?#]|$)/i.test(path)));
        expect(await refusal(sent.headers, method, path)).toBe('ERR_REQUEST_MISMATCH');
      }),
      { numRuns: 100 },
    );
  });

  it('no request other than the one signed for is accepted (method, target, origin, any header)', async () => {
    // A second, equally valid request supplies values an attacker could have seen on the wire.
    const other = await chainToBar({ crate: true, path: '/other' });
    const names = ['Nestoken', 'Nestoken-Crate', 'Nestoken-Scalar', 'Workload-Identity-Token', 'Workload-Proof-Token', 'Authorization', 'Txn-Token'];
    const value = fc.oneof(
      fc.constantFrom(...Object.values(other.headers), ...Object.values(sent.headers)),
      fc.constant('Bearer abc'),
      fc.constant(`WPT ${other.headers['Workload-Proof-Token']}`),
      fc.stringMatching(/^[A-Za-z0-9._~-]{1,40}$/),
    );
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), name: fc.constantFrom(...names), to: fc.option(value, { nil: undefined }) }),
      // A second field line with the same name, in any case: never merged, never guessed.
      fc.record({ kind: fc.constant('repeat' as const), name: fc.constantFrom(...names), to: value }),
      // Names are case-insensitive: the same request.
      fc.record({ kind: fc.constant('case' as const), name: fc.constantFrom(...names) }),
      // The same proof in the draft -02 place: the same request.
      fc.record({ kind: fc.constant('move-proof' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE'),
        fc.constantFrom('/orders', '/orders?x=1', '/other', '/admin/wipe', '/Orders'),
        fc.constantFrom(ORIGIN, 'http://127.0.0.1:2', 'https://127.0.0.1:1'),
        fc.array(edit, { maxLength: 3 }),
        async (method, url, origin, edits) => {
          let lines: [string, string][] = Object.entries(sent.headers);
          const is = (name: string) => (line: [string, string]) => line[0].toLowerCase() === name.toLowerCase();
          for (const e of edits) {
            if (e.kind === 'set') lines = [...lines.filter((l) => !is(e.name)(l)), ...(e.to === undefined ? [] : [[e.name, e.to] as [string, string]])];
            if (e.kind === 'repeat') lines = [...lines, [e.name, e.to]];
            if (e.kind === 'case') lines = lines.map(([n, v]) => [is(e.name)([n, v]) ? n.toUpperCase() : n, v]);
            if (e.kind === 'move-proof') {
              const proof = lines.find(is('Workload-Proof-Token'));
              if (proof) lines = [...lines.filter((l) => !is('Workload-Proof-Token')(l) && !is('Authorization')(l)), ['Authorization', `WPT ${proof[1]}`]];
            }
          }
          // What the request presents, read as the draft reads it: one line per name, the proof in either place.
          const values = (name: string) => lines.filter(is(name)).map((l) => l[1]);
          const single = names.every((n) => values(n).length <= 1);
          // A proof in both places is refused, whichever of the two is the signed one.
          const proofInBothPlaces = values('Workload-Proof-Token').length > 0 && values('Authorization').some((v) => /^wpt /i.test(v));
          const auth = values('Authorization')[0];
          const proof = auth?.startsWith('WPT ') && values('Workload-Proof-Token').length === 0 ? auth.slice(4) : values('Workload-Proof-Token')[0];
          const presented: Record<string, string | undefined> = Object.fromEntries(names.map((n) => [n, values(n)[0]]));
          presented['Workload-Proof-Token'] = proof;
          if (proof !== undefined && auth?.startsWith('WPT ')) presented['Authorization'] = undefined;
          const same = method === 'POST' && url.split('?')[0] === '/orders' && origin === ORIGIN && single && !proofInBothPlaces && names.every((n) => presented[n] === sent.headers[n]);
          let accepted = true;
          try {
            await verifyRequest({ method, url, origin, rawHeaders: lines.flat() }, barOptions());
          } catch (e) {
            if (!(e instanceof NestokenError)) throw e;
            accepted = false;
          }
          expect(accepted).toBe(same);
        },
      ),
      { numRuns: 200 },
    );
  });
});
