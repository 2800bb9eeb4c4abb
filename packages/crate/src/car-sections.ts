import { NestokenError } from '@nestoken/core';
import { varint } from 'multiformats';
import { checkLimit } from './limits.js';

/** Reads one section length; the CAR framing is unsigned LEB128, as multiformats decodes it. */
function lengthAt(bytes: Uint8Array, offset: number, what: string): [length: number, headBytes: number] {
  let read: [number, number];
  try {
    read = varint.decode(bytes, offset);
  } catch (e) {
    throw new NestokenError('ERR_MALFORMED', `not a CAR: ${what} has no readable length`, { cause: e });
  }
  const [length, headBytes] = read;
  if (!Number.isSafeInteger(length) || length === 0 || length > bytes.length - offset - headBytes) {
    throw new NestokenError('ERR_MALFORMED', `not a CAR: ${what} is empty or runs past the end`);
  }
  return read;
}

/**
 * Counts the block sections of a CARv1 from its length prefixes alone, before anything is parsed
 * (spec §10.7 step 1): a CAR of 100,000 tiny blocks is refused after reading 100,000 varints,
 * not after building 100,000 CIDs. Framing that does not add up to the file is `ERR_MALFORMED`.
 */
export function countCarSections(bytes: Uint8Array, maxBlocks: number): number {
  const [headerLength, headerHead] = lengthAt(bytes, 0, 'the header');
  let offset = headerHead + headerLength;
  let count = 0;
  while (offset < bytes.length) {
    const [length, head] = lengthAt(bytes, offset, `block ${count}`);
    offset += head + length;
    count++;
    checkLimit(count, maxBlocks, 'blocks in the CAR');
  }
  return count;
}
