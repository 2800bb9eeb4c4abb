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
  let last = 0;
  const started = performance.now();
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
        onResponse: () => {
          last = performance.now();
        },
      },
    ],
  });
  // From the start to the last answer: autocannon ends a bounded run on its next 1 s tick.
  const elapsed = ((last || performance.now()) - started) / 1000;
  return {
    requestsPerSecond: elapsed > 0 ? result.requests.sent / elapsed : 0,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    sent: result.requests.sent,
  };
}
