import { render } from './render.js';
import { runDemo } from './run.js';

/** Nothing here may keep the process waiting: give up after this long. */
const WATCHDOG_MS = 60_000;

const watchdog = setTimeout(() => {
  console.error('demo: gave up after 60 s');
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

try {
  const result = await runDemo();
  for (const line of render(result)) console.log(line);
  process.exitCode = result.outcomes.every((o) => o.ok) ? 0 : 1;
} catch (e) {
  console.error(`demo: could not run: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
