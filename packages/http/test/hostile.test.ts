import { ERROR_CODES, NestokenError } from '@nestoken/core';
import { toCompact } from '@nestoken/crate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyRequest } from '../src/verify-request.js';
import { barOptions, chainToBar, ORIGIN, requestOf } from './fixtures.js';

const sent = await chainToBar({ crate: true });
const compact = toCompact(sent.crate!);
const HEADERS = ['Nestoken', 'Nestoken-Crate', 'Workload-Identity-Token'] as const;
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
    const names = ['Nestoken', 'Nestoken-Crate', 'Workload-Identity-Token', 'Workload-Proof-Token', 'Authorization', 'Txn-Token'];
    const edit = fc.record({
      name: fc.constantFrom(...names),
      to: fc.oneof(fc.constant(undefined), fc.constantFrom(...Object.values(other.headers)), fc.constant('Bearer abc'), fc.stringMatching(/^[A-Za-z0-9._~-]{1,40}$/)),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE'),
        fc.constantFrom('/orders', '/orders?x=1', '/other', '/admin/wipe', '/Orders'),
        fc.constantFrom(ORIGIN, 'http://127.0.0.1:2', 'https://127.0.0.1:1'),
        fc.array(edit, { maxLength: 3 }),
        async (method, url, origin, edits) => {
          const headers: Record<string, string> = { ...sent.headers };
          for (const { name, to } of edits) {
            if (to === undefined) delete headers[name];
            else headers[name] = to;
          }
          const same = method === 'POST' && url.split('?')[0] === '/orders' && origin === ORIGIN && names.every((n) => headers[n] === sent.headers[n]);
          let accepted = true;
          try {
            await verifyRequest({ ...requestOf(headers, method, url), origin }, barOptions());
          } catch (e) {
            if (!(e instanceof NestokenError)) throw e;
            accepted = false;
          }
          expect(accepted).toBe(same);
        },
      ),
      { numRuns: 150 },
    );
  });
});
