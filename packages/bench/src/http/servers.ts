import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportPublicJwk } from '@nestoken/core';
import { MemoryReplayCache, withNestoken } from '@nestoken/http';
import { importJWK, jwtVerify } from 'jose';
import { benchWorld } from './world.js';

/** The servers under load; each answers 200 "ok" once its check passes. */
export const SERVERS = ['none', 'jose', 'nestoken', 'nestoken-fresh', 'nestoken-crate'] as const;
export type ServerName = (typeof SERVERS)[number];

const ok = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
  res.end('ok');
};

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Starts the servers on 127.0.0.1 (ports the system picks) and returns their ports. */
export async function startServers(now: number): Promise<{ ports: Record<ServerName, number>; close(): Promise<void> }> {
  const world = await benchWorld(now);
  // One JWT checked with jose: the verifier most services run today.
  const joseKey = await importJWK({ ...exportPublicJwk(world.issuerKey) }, 'EdDSA');
  const jose = async (req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization ?? '';
    try {
      await jwtVerify(auth.slice(7), joseKey, { issuer: 'https://issuer.bench.test', audience: 'https://api.bench.test' });
      ok(res);
    } catch {
      res.writeHead(401).end();
    }
  };
  const nestoken = (bound: number) =>
    withNestoken(
      {
        trust: world.trust,
        key: world.bar.key,
        identity: world.bar.identity,
        replayCache: new MemoryReplayCache({ maxEntries: bound }),
      },
      (_req, res) => ok(res),
    );
  const started = {
    none: await listen((_req, res) => ok(res)),
    jose: await listen((req, res) => void jose(req, res)),
    nestoken: await listen(nestoken(1_000_000)),
    'nestoken-fresh': await listen(nestoken(1_000_000)),
    'nestoken-crate': await listen(nestoken(1_000_000)),
  };
  const ports = Object.fromEntries(Object.entries(started).map(([k, v]) => [k, v.port])) as Record<ServerName, number>;
  return {
    ports,
    close: async () => {
      await Promise.all(
        Object.values(started).map(
          ({ server }) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
