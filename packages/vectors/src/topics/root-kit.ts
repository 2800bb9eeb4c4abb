import type { LayerClaims, LayerFormat, LayerHeader } from '@nestoken/core';
import { HOUR, NOW, type Cast } from '../cast.js';
import { digestOf } from '../chains.js';
import type { ExpectedPath } from '../model.js';
import { canonicalJson } from '../wire/json.js';
import { jwtHeaderText } from '../wire/layer.js';

/** The parts of a one-layer ID chain (idp hands the token to gateway) for cases built byte by byte. */
export interface RootKit {
  readonly header: LayerHeader;
  readonly claims: LayerClaims;
  readonly headerText: string;
  readonly claimsText: string;
  readonly exp: number;
  /** The path of the control case: what the layer proves when nothing is wrong with it. */
  path(format: LayerFormat, layerBytes: Uint8Array): ExpectedPath;
}

export function rootKit(cast: Cast): RootKit {
  const exp = NOW + HOUR;
  const header: LayerHeader = { alg: 'Ed25519', kid: cast.kid('idp') };
  const claims: LayerClaims = { cnf: { jkt: cast.kid('gateway') }, exp, iss: cast.identity('idp'), jti: 'kit-0' };
  return {
    header,
    claims,
    headerText: jwtHeaderText(header),
    claimsText: canonicalJson(claims),
    exp,
    path: (format, bytes) => ({
      mode: 'id',
      issuer: cast.identity('idp'),
      sealed: false,
      expiresAt: exp,
      hops: [{ index: 0, identity: cast.identity('idp'), via: 'trust-bundle', format, digest: digestOf(bytes), keyThumbprint: cast.kid('idp'), audienceKey: cast.kid('gateway') }],
    }),
  };
}
