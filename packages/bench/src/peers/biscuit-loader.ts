import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installedPackageDir } from '../installed.js';
import type * as BiscuitModule from '@biscuit-auth/biscuit-wasm';

export type Biscuit = Pick<typeof BiscuitModule, 'Biscuit' | 'KeyPair' | 'AuthorizerBuilder' | 'SignatureAlgorithm' | 'PublicKey'>;

/** The package's `exports` hide its files, and `require.resolve` has no condition to match. */
function findModuleDir(): string {
  const dir = installedPackageDir('@biscuit-auth/biscuit-wasm');
  if (!dir) throw new Error('@biscuit-auth/biscuit-wasm is not installed');
  return join(dir, 'module');
}

let loaded: Promise<Biscuit> | undefined;

/**
 * biscuit-wasm is built for bundlers: its entry imports the .wasm file as an ES module,
 * which plain Node only does behind --experimental-wasm-modules. We do the bundler's job
 * instead: instantiate the wasm ourselves with the JS glue as its import object. The glue
 * prints one line at start-up; it goes to stderr so stdout stays ours.
 */
export function loadBiscuit(): Promise<Biscuit> {
  loaded ??= (async () => {
    const dir = findModuleDir();
    const glue = (await import(pathToFileURL(join(dir, 'biscuit_bg.js')).href)) as Biscuit & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const module = await WebAssembly.compile(await readFile(join(dir, 'biscuit_bg.wasm')));
    const imports: WebAssembly.Imports = {};
    for (const { module: name } of WebAssembly.Module.imports(module)) {
      if (imports[name]) continue;
      imports[name] = name === './biscuit_bg.js' ? (glue as unknown as WebAssembly.ModuleImports) : await import(pathToFileURL(join(dir, name)).href);
    }
    const instance = await WebAssembly.instantiate(module, imports);
    glue.__wbg_set_wasm(instance.exports);
    const log = console.log;
    console.log = (...args: unknown[]) => console.error(...args);
    try {
      (instance.exports.__wbindgen_start as () => void)();
    } finally {
      console.log = log;
    }
    return glue;
  })();
  return loaded;
}
