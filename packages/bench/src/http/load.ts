import autocannon from 'autocannon';
import type { Headers } from './requests.js';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly sent: number;
}

/**
 * Sends `pool.length` requests (each header set once) over `connections` keep-alive
 * connections to a server on 127.0.0.1, with autocannon. Bounded by count and by a timeout.
 */
export async function drive(url: string, pool: readonly Headers[], connections: number): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    amount: pool.length,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/orders',
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...pool[next++ % pool.length] } }),
      },
    ],
  });
  // The run's own clock: autocannon's `duration` is rounded.
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    requestsPerSecond: elapsed > 0 ? result.requests.sent / elapsed : 0,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    sent: result.requests.sent,
  };
}
