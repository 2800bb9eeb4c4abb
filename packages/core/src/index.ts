import { registerDefaultBackend } from './crypto/backend.js';
import { portableBackend } from './crypto/portable.js';

registerDefaultBackend(() => portableBackend);

export * from './api.js';
