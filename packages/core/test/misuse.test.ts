import * as core from '@nestoken/core';
import { describe, expect, it } from 'vitest';
import { misuseFailures } from '../../../scripts/misuse.js';

// Swapping the process-wide backends is tested on its own (backends.test.ts): a fuzzer that
// happened to pass a working backend would change every later test.
const STATEFUL = ['useCryptoBackend', 'useGroupBackend'];

describe('misuse is ERR_USAGE, never a TypeError (spec §2.7)', () => {
  it('every export of @nestoken/core, given arbitrary arguments, returns or throws a NestokenError', async () => {
    const failures = await misuseFailures(core as Record<string, unknown>, { except: STATEFUL });
    expect(failures).toEqual([]);
  }, 300_000);
});
