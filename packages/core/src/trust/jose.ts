type Jose = typeof import('jose');

let loading: Promise<Jose> | undefined;

/**
 * jose, loaded on the first identity document a process checks or mints: a verifier of chains
 * whose keys all come from the trust bundle never pays for loading it (the CLI's cold start).
 */
export const jose = (): Promise<Jose> => (loading ??= import('jose'));
