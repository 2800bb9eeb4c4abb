import { registerDefaultBackend } from './crypto/backend.js';
import { webCryptoBackend } from './crypto/webcrypto.js';
import { registerAsn1Library } from './trust/asn1.js';
import { staticAsn1 } from './trust/asn1-static.js';

// Web Crypto's Ed25519 where the platform has it (probed on first use), the portable code otherwise.
registerDefaultBackend(() => webCryptoBackend());
// A bundle wants its imports static: the certificate schemas come with it.
registerAsn1Library(() => staticAsn1);

export * from './api.js';
