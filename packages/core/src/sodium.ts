import { useGroupBackend } from './crypto/group.js';
import { createSodiumGroup } from './crypto/sodium.js';

/**
 * `@nestoken/core/sodium`: the optional libsodium (WASM) group backend for the aggregate
 * modes. It needs the peer package libsodium-wrappers-sumo; the main entry never loads it.
 */
export { createSodiumGroup };

export const useSodiumGroup = async (): Promise<void> => useGroupBackend(await createSodiumGroup());
