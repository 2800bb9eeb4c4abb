/** Every browser test launches Chromium the one way the bench does; see that module for the CI rule. */
export { CHROMIUM, chromiumRuns, inCi, servePage, type Route, type ServedPage } from '../packages/bench/src/browser/chromium.js';
