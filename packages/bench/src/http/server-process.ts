import { startServers } from './servers.js';

/**
 * The servers run in their own process so the load generator does not share their event
 * loop. Reports the ports on IPC, stops on "stop" or when the parent goes away.
 */
const now = Number(process.argv[2]);
const running = await startServers(now);
process.send?.({ ports: running.ports });
const stop = () => void running.close().then(() => process.exit(0));
process.on('message', (m) => m === 'stop' && stop());
process.on('disconnect', stop);
