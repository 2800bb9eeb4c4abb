import { createRequire } from 'node:module';

/** The part of `macaroon` (CommonJS, untyped) that the bench uses. */
export interface Macaroon {
  addFirstPartyCaveat(caveatId: Uint8Array | string): void;
  verify(rootKey: Uint8Array, check: (condition: string) => string | null): void;
  exportJSON(): object;
  exportBinary(): Uint8Array;
}

export interface MacaroonLib {
  newMacaroon(init: { identifier: Uint8Array | string; location?: string; rootKey: Uint8Array; version?: 1 | 2 }): Macaroon;
  importMacaroon(obj: object | string | Uint8Array): Macaroon;
}

export const macaroonLib = createRequire(import.meta.url)('macaroon') as MacaroonLib;
