import { registerDefaultZlib } from './zlib.js';
import { nodeZlib } from './zlib-node.js';

/** Node entry: node:zlib by default (measured faster at inflating, see zlib.ts); fflate stays available. */
registerDefaultZlib(nodeZlib);

export * from './api.js';
export { nodeZlib } from './zlib-node.js';
