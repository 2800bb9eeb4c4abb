import * as crate from '@nestoken/crate';
import { describe, expect, it } from 'vitest';
import { misuseFailures } from '../../../scripts/misuse.js';

describe('misuse is ERR_USAGE, never a TypeError (spec §2.7)', () => {
  it('every export of @nestoken/crate, given arbitrary arguments, returns or throws a NestokenError', async () => {
    expect(await misuseFailures(crate as Record<string, unknown>)).toEqual([]);
  }, 300_000);
});
