import { defineConfig } from 'vite';

/**
 * One static page: relative asset paths (it can be opened from any directory or host), no
 * module-preload polyfill (it would fetch), everything the page needs in dist/.
 */
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, reportCompressedSize: false },
});
