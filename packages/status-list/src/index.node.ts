import { registerDefaultZlib } from './zlib.js';
import { fastestZlib } from './zlib-node.js';

/** Node entry: each ZLIB direction through whichever library measured faster (see zlib-node.ts). */
registerDefaultZlib(fastestZlib);

export * from './api.js';
export { nodeZlib, fastestZlib } from './zlib-node.js';
