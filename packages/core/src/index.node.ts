import { registerDefaultBackend } from './crypto/backend.js';
import { nodeBackend } from './crypto/node.js';

registerDefaultBackend(() => nodeBackend);

export * from './api.js';
export { nodeBackend } from './crypto/node.js';
