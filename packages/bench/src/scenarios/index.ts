import type { ChainScenario } from '../scenario.js';
import { biscuitScenario } from './biscuit.js';
import { signatureFloorScenario } from './signature-floor.js';
import { macaroonScenario } from './macaroon.js';
import { jwtHashListScenario } from './jwt-hash-list.js';
import { nestedJwtScenario } from './nested-jwt.js';
import { nestokenAggregateScenarios } from './nestoken-aggregate.js';
import { nestokenIdScenarios } from './nestoken-id.js';
import { nestokenWitScenarios } from './nestoken-wit.js';
import { nestokenX509Scenarios } from './nestoken-x509.js';
import { nestokenTxnScenario } from './nestoken-txn.js';

/** Every chain scenario, in report order. A new peer is one module plus one line here. */
export const allChainScenarios = (): ChainScenario[] => [
  ...nestokenIdScenarios(),
  ...nestokenWitScenarios(),
  ...nestokenX509Scenarios(),
  ...nestokenAggregateScenarios(),
  nestokenTxnScenario(),
  nestedJwtScenario(),
  jwtHashListScenario(),
  biscuitScenario(),
  macaroonScenario(),
  signatureFloorScenario('Ed25519'),
  signatureFloorScenario('ES256'),
];
