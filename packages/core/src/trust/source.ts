import { b64u } from '../bytes.js';
import { fail, NestokenError } from '../errors.js';
import { keyFingerprint, requiredMembers, type Authority } from './authority.js';
import { createTrustBundle, type TrustBundle, type TrustDomainInfo, type TrustedSigner } from './bundle.js';
import { checkTrustDomainName } from './scope.js';
import { loadSpiffeBundle } from './spiffe-bundle.js';

/** A bundle as a reader returns it: JSON text, its UTF-8 bytes, or the already parsed object. */
export type BundleText = string | Uint8Array | object;

/** How `createTrustSource` finds one trust domain's SPIFFE bundle and how often it re-reads it. */
export interface TrustSourceOptions {
  readonly trustDomain: string;
  /** Where the bundle comes from: a URL read with the caller's `fetch`, or any reader (a file, a Workload API client). */
  readonly from:
    | {
        readonly url: string;
        /** Reads `url` (the global `fetch` fits); the signal aborts a read that runs past `timeoutMs`. */
        readonly fetch: (
          url: string,
          init?: { signal?: AbortSignal },
        ) => Promise<{
          ok: boolean;
          status: number;
          /** The response body: the bundle's JSON text. */
          text(): Promise<string>;
        }>;
      }
    | {
        /** Returns the current bundle from anywhere the caller chooses (a file, a Workload API client). */
        readonly read: () => Promise<BundleText>;
      };
  /** Seconds a key or root that a new bundle dropped stays trusted; default 300. */
  readonly overlapSeconds?: number;
  /** Seconds between reads when the bundle gives no `spiffe_refresh_hint`; default 300. */
  readonly defaultRefreshSeconds?: number;
  /** A bundle not refreshed for this long is no longer used (fail closed); default 86400. */
  readonly maxStaleSeconds?: number;
  /** A read that takes longer fails; default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Seconds since the epoch; default the clock. */
  readonly now?: () => number;
}

/** A trust domain's bundle kept fresh from its source, with keys it drops kept through a rotation overlap; made by `createTrustSource`. */
export interface TrustSource {
  /** The bundle to verify with now; re-reads first when the refresh hint has passed (a failed re-read keeps the last good bundle). */
  current(): Promise<TrustBundle>;
  /** Re-reads now; rejects (and keeps the last good bundle) on a read failure or a lower `spiffe_sequence`. */
  refresh(): Promise<TrustBundle>;
  /** The `spiffe_sequence` of the bundle in use. */
  readonly sequence: number | undefined;
  /** Why the last re-read failed, if it did. */
  readonly lastError: NestokenError | undefined;
}

interface Retained<T> {
  readonly item: T;
  readonly until: number;
}

function whole(v: number | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 0) fail('ERR_USAGE', `${name} is a whole number ≥ 0`);
  return v;
}

async function withTimeout<T>(ms: number, f: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new NestokenError('ERR_TRUST_BUNDLE', `reading the bundle took longer than ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([f(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const authorityId = (a: Authority): string => keyFingerprint(requiredMembers(a.jwk));

/**
 * A SPIFFE bundle that stays current (spec §5.5): re-read on its `spiffe_refresh_hint`, never
 * replaced by one with a lower `spiffe_sequence`, and keys or roots it drops kept for
 * `overlapSeconds`, so documents signed just before a rotation still verify.
 */
export async function createTrustSource(options: TrustSourceOptions): Promise<TrustSource> {
  if (typeof options !== 'object' || options === null || typeof options.from !== 'object' || options.from === null) fail('ERR_USAGE', 'a trust source needs { trustDomain, from }');
  const trustDomain = checkTrustDomainName(options.trustDomain, 'trustDomain');
  const overlap = whole(options.overlapSeconds, 'overlapSeconds', 300);
  const defaultRefresh = whole(options.defaultRefreshSeconds, 'defaultRefreshSeconds', 300);
  const maxStale = whole(options.maxStaleSeconds, 'maxStaleSeconds', 86_400);
  const timeoutMs = whole(options.timeoutMs, 'timeoutMs', 10_000);
  const clock = options.now ?? (() => Math.floor(Date.now() / 1000));
  const from = options.from;

  const read = (): Promise<BundleText> =>
    withTimeout(timeoutMs, async (signal) => {
      if ('read' in from) return from.read();
      const res = await from.fetch(from.url, { signal });
      if (!res.ok) fail('ERR_TRUST_BUNDLE', `fetching the bundle answered HTTP ${res.status}`);
      return res.text();
    });

  let loaded: TrustBundle | undefined;
  let inUse: TrustBundle | undefined;
  let loadedAt = 0;
  let retainedAuthorities: Retained<Authority>[] = [];
  let retainedRoots: Retained<Uint8Array>[] = [];
  let lastError: NestokenError | undefined;
  let pending: Promise<TrustBundle> | undefined;

  const info = (b: TrustBundle | undefined): TrustDomainInfo => b!.domains.get(trustDomain)!;
  const nextRefresh = (): number => loadedAt + (info(loaded).refreshHint ?? defaultRefresh);

  const compose = (now: number): TrustBundle => {
    retainedAuthorities = retainedAuthorities.filter((r) => r.until > now);
    retainedRoots = retainedRoots.filter((r) => r.until > now);
    const bundle = loaded!;
    const current = new Set(bundle.authorities.map(authorityId));
    const kids = new Set(bundle.authorities.map((a) => a.kid).filter((k) => k !== undefined));
    // A retained key whose kid the new bundle gave to another key would be a conflict: the new bundle wins.
    const kept = retainedAuthorities.map((r) => r.item).filter((a) => !current.has(authorityId(a)) && (a.kid === undefined || !kids.has(a.kid)));
    const d = info(bundle);
    const roots = new Set(d.x509Roots.map(b64u));
    const keptRoots = retainedRoots.map((r) => r.item).filter((r) => !roots.has(b64u(r)));
    return createTrustBundle({
      signers: [...bundle.signers.values()] as TrustedSigner[],
      authorities: [...bundle.authorities, ...kept],
      domains: [{ ...d, x509Roots: [...d.x509Roots, ...keptRoots] }],
    });
  };

  const swap = (next: TrustBundle, now: number): void => {
    if (loaded !== undefined) {
      const before = info(loaded).sequence;
      const after = info(next).sequence;
      if (before !== undefined && (after === undefined || after < before)) {
        fail('ERR_TRUST_BUNDLE', `the bundle of ${trustDomain} went back from spiffe_sequence ${before} to ${after ?? 'none'}`);
      }
      const until = now + overlap;
      retainedAuthorities.push(...loaded.authorities.map((item) => ({ item, until })));
      retainedRoots.push(...info(loaded).x509Roots.map((item) => ({ item, until })));
    }
    loaded = next;
    loadedAt = now;
    inUse = compose(now);
  };

  const refresh = (): Promise<TrustBundle> => {
    pending ??= (async () => {
      try {
        const next = loadSpiffeBundle(await read(), { trustDomain });
        swap(next, clock());
        lastError = undefined;
        return inUse!;
      } catch (e) {
        const err = e instanceof NestokenError ? e : new NestokenError('ERR_TRUST_BUNDLE', 'reading the bundle failed', { cause: e });
        lastError = err;
        throw err;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };

  await refresh();
  let lastAttempt = clock();
  return {
    async current() {
      const now = clock();
      if (now >= nextRefresh() && now >= lastAttempt + Math.min(info(loaded).refreshHint ?? defaultRefresh, defaultRefresh)) {
        lastAttempt = now;
        await refresh().catch(() => undefined);
      }
      if (clock() - loadedAt > maxStale) fail('ERR_TRUST_BUNDLE', `the bundle of ${trustDomain} has not been refreshed for ${clock() - loadedAt} s`);
      if (retainedAuthorities.some((r) => r.until <= now) || retainedRoots.some((r) => r.until <= now)) inUse = compose(now);
      return inUse!;
    },
    refresh: () => {
      lastAttempt = clock();
      return refresh();
    },
    get sequence() {
      return info(loaded).sequence;
    },
    get lastError() {
      return lastError;
    },
  };
}
