import type { CrateBench } from './crate.js';

const REQUIRED = ['build', 'trim', 'merge', 'verify'] as const;

/** Crate operations of @nestoken/crate; measured once the package exports them. */
export const nestokenCrateBench: CrateBench = {
  note: '@nestoken/crate: build, trim, merge and verify a hash-addressed crate of n tokens',
  async load() {
    let mod: Record<string, unknown>;
    try {
      mod = (await import('@nestoken/crate')) as Record<string, unknown>;
    } catch (e) {
      return `@nestoken/crate could not be loaded: ${(e as Error).message}`;
    }
    const missing = REQUIRED.filter((name) => typeof mod[name] !== 'function');
    if (missing.length > 0) return `@nestoken/crate does not export ${missing.join(', ')} yet`;
    return `@nestoken/crate exports its operations, but this bench does not drive them yet`;
  },
};
