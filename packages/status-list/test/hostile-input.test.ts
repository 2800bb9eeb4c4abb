import fc from 'fast-check';
import { NestokenError } from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { referencedTokenStatus, StatusList, verifyStatusListToken } from '../src/index.node.js';
import { draftHexToken, draftJwt } from './draft.js';
import { NOW, signedList, trust } from './fixtures.js';

/** Whatever the input, the answer is a value or a NestokenError: never another exception, never a hang. */
async function typed(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(NestokenError);
  }
}

const json = fc.jsonValue({ maxDepth: 4 });

describe('hostile input to the status list package', () => {
  it('a referenced JWT whose payload repeats its status member names no list: two parsers would read two', () => {
    const b64 = (x: string) => Buffer.from(x).toString('base64url');
    const ref = (idx: number, uri: string) => `{"status_list":{"idx":${idx},"uri":"${uri}"}}`;
    const token = `${b64('{"alg":"EdDSA"}')}.${b64(`{"status":${ref(0, 'https://a.example/1')},"status":${ref(1, 'https://b.example/2')}}`)}.${b64('sig')}`;
    expect(() => referencedTokenStatus(token)).toThrow(expect.objectContaining({ code: 'ERR_DUPLICATE_KEY' }));
    const once = `${b64('{"alg":"EdDSA"}')}.${b64(`{"status":${ref(1, 'https://b.example/2')}}`)}.${b64('sig')}`;
    expect(referencedTokenStatus(once)).toEqual({ idx: 1, uri: 'https://b.example/2' });
  });

  it('arbitrary text and bytes as a Status List Token or a referenced token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.of(0xd2, 0x84, ...b))), async (input) => {
        await typed(() => verifyStatusListToken(input, { trust, now: NOW }));
        await typed(() => referencedTokenStatus(input));
      }),
      { numRuns: 300 },
    );
  });

  it('a JWT whose parts are arbitrary base64url of arbitrary JSON or bytes', async () => {
    const b64 = (x: string | Uint8Array) => Buffer.from(x).toString('base64url');
    await fc.assert(
      fc.asyncProperty(json, json, fc.uint8Array({ maxLength: 80 }), async (h, p, sig) => {
        const token = `${b64(JSON.stringify(h))}.${b64(JSON.stringify(p))}.${b64(sig)}`;
        await typed(() => verifyStatusListToken(token, { trust, now: NOW }));
        await typed(() => referencedTokenStatus(token));
      }),
      { numRuns: 200 },
    );
  });

  it('changed bytes of the draft tokens and of our own CWT', async () => {
    const tokens = [draftHexToken('status_list_cwt.md'), draftHexToken('referenced_token_cwt.md'), (await signedList({ 1: 1 }, { format: 'cwt' })) as Uint8Array];
    const jwt = draftJwt();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, at, x) => {
        const t = Uint8Array.from(tokens[which % tokens.length]!);
        t[at % t.length] ^= x;
        await typed(() => verifyStatusListToken(t, { trust, now: NOW }));
        await typed(() => referencedTokenStatus(t));
        const chars = [...jwt];
        chars[at % chars.length] = String.fromCharCode(x);
        await typed(() => verifyStatusListToken(chars.join(''), { trust, now: NOW }));
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary values as the JSON or CBOR form of a list', async () => {
    await fc.assert(
      fc.asyncProperty(json, fc.anything(), async (j, a) => {
        await typed(() => StatusList.fromJson(j));
        await typed(() => StatusList.fromJson({ bits: 1, lst: j }));
        await typed(() => StatusList.fromCbor(a));
        await typed(() => StatusList.fromCbor(new Map([['bits', 1], ['lst', a]])));
        await typed(() => StatusList.decompress(1, a as never));
        await typed(() => StatusList.create(a as never, a as never));
      }),
      { numRuns: 200 },
    );
  });
});
