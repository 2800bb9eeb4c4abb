import { registerDefaultBackend } from './crypto/backend.js';
import { nodeBackend } from './crypto/node.js';
import { registerAsn1Library } from './trust/asn1.js';
import { requireAsn1 } from './trust/asn1-node.js';

registerDefaultBackend(() => nodeBackend);
// Certificate schemas are required on the first certificate parsed: a verifier of plain chains never loads them.
registerAsn1Library(requireAsn1);

export * from './api.js';
export { nodeBackend } from './crypto/node.js';
