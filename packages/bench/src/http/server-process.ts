import { startServers } from './servers.js';

/**
 * The servers run in their own process so the load generator does not share their event
 * loop; all four in one process, so they run with the same Node flags and the same runtime. Reports the ports on IPC, stops on "stop" or when the parent goes away.
 */
const now = Number(process.argv[2]);
const running = await startServers(now);
process.send?.({ ports: running.ports });
const stop = () => void running.close().then(() => process.exit(0));
// The CPU this process has used so far, so the bench can say what each request cost the server.
process.on('message', (m) => (m === 'stop' ? stop() : m === 'cpu' && process.send?.({ cpu: process.cpuUsage() })));
process.on('disconnect', stop);
