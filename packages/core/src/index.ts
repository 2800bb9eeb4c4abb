import { registerDefaultBackend } from './crypto/backend.js';
import { webCryptoBackend } from './crypto/webcrypto.js';

// Web Crypto's Ed25519 where the platform has it (probed on first use), the portable code otherwise.
registerDefaultBackend(() => webCryptoBackend());

export * from './api.js';
