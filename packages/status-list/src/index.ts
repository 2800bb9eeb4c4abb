/** Browser and default entry: fflate compresses. */
export * from './api.js';
