import { fail, NestokenError, REVOCATION_CODES, type RevocationQuery, type TrustBundle } from '@nestoken/core';
import type { StatusListLimits } from './limits.js';
import { checkOptionKeys, checkWhole } from './options.js';
import { statusListReference } from './status-reference.js';
import { verifyStatusListToken, type VerifiedStatusList } from './status-list-token.js';
import { statusName, type StatusName } from './status-values.js';

/** Fetches the Status List Token published at a URI: JWT text or CWT bytes. */
export type StatusListFetch = (uri: string) => Promise<string | Uint8Array>;

export interface StatusListSourceOptions {
  readonly fetch: StatusListFetch;
  /** Keys trusted to sign status lists: the bundle's signers (Ed25519) and authorities (by kid). */
  readonly trust: TrustBundle;
  /** Longest a verified list is used before it is fetched again, in seconds (default 300); the list's own `ttl` and `exp` shorten it. */
  readonly ttl?: number;
  /**
   * When a list's time is up and fetching it again fails: `'refuse'` (the default) fails closed
   * with `ERR_STATUS_UNAVAILABLE`; `{ serveStaleFor: S }` keeps answering from the last verified
   * list for at most S more seconds, never past its `exp`.
   */
  readonly onStale?: 'refuse' | { readonly serveStaleFor: number };
  /** A fetch that has not answered after this many milliseconds has failed (default 5000). */
  readonly timeoutMs?: number;
  /** After a failed fetch, the list is not asked for again for this many seconds (default 5): a down issuer is not hammered. */
  readonly retryAfter?: number;
  /** Application-specific or reserved status values to treat as valid; default: none is (`ERR_STATUS_REFUSED`). */
  readonly acceptStatus?: (value: number, name: StatusName) => boolean;
  /** Refuse layers that carry no status reference (`ERR_STATUS_UNAVAILABLE`); default: they pass. */
  readonly requireReference?: boolean;
  /** The clock, seconds since the epoch; default: the system clock. */
  readonly now?: () => number;
  readonly clockSkew?: number;
  readonly limits?: Partial<StatusListLimits>;
}

/** A revocation hook for `verify`, with counters a deployment can watch. */
export interface StatusListSource {
  (query: RevocationQuery): Promise<boolean>;
  readonly stats: { readonly fetches: number; readonly failures: number };
}

interface Entry {
  readonly value: VerifiedStatusList;
  /** Until when it is used without asking again. */
  readonly freshUntil: number;
}

const OPTION_KEYS = new Set(['fetch', 'trust', 'ttl', 'onStale', 'timeoutMs', 'retryAfter', 'acceptStatus', 'requireReference', 'now', 'clockSkew', 'limits']);
const STALE_KEYS = new Set(['serveStaleFor']);

function checkOptions(o: StatusListSourceOptions): void {
  checkOptionKeys(o, OPTION_KEYS, 'statusListRevocation');
  if (typeof o.fetch !== 'function' || !o.trust) fail('ERR_USAGE', 'statusListRevocation needs fetch and trust');
  checkWhole(o.ttl, 'ttl', true);
  checkWhole(o.timeoutMs, 'timeoutMs', true);
  checkWhole(o.retryAfter, 'retryAfter', true);
  checkWhole(o.clockSkew, 'clockSkew', false);
  if (o.onStale !== undefined && o.onStale !== 'refuse') {
    checkOptionKeys(o.onStale, STALE_KEYS, 'onStale');
    checkWhole(o.onStale.serveStaleFor ?? 0, 'onStale.serveStaleFor', true);
  }
  for (const f of ['acceptStatus', 'now'] as const) if (o[f] !== undefined && typeof o[f] !== 'function') fail('ERR_USAGE', `${f} must be a function`);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NestokenError('ERR_STATUS_UNAVAILABLE', `${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const STATUS_CODE = { INVALID: 'ERR_STATUS_INVALID', SUSPENDED: 'ERR_STATUS_SUSPENDED' } as const;

/**
 * The status list revocation source (spec §13.4): resolves each layer's `status_list`
 * reference, fetches each list at most once per ttl (concurrent requests share one fetch),
 * verifies it against the trust bundle, and answers from memory. Anything it cannot establish
 * fails closed; a layer whose status is not VALID is refused with the code of its status, and
 * `verify` refuses the chain: a ban on one layer refuses every chain built on it.
 */
export function statusListRevocation(options: StatusListSourceOptions): StatusListSource {
  checkOptions(options);
  const ttl = options.ttl ?? 300;
  const staleFor = options.onStale === undefined || options.onStale === 'refuse' ? 0 : options.onStale.serveStaleFor;
  const timeoutMs = options.timeoutMs ?? 5000;
  const retryAfter = options.retryAfter ?? 5;
  const clockSkew = options.clockSkew ?? 60;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const cache = new Map<string, Entry>();
  const pending = new Map<string, Promise<VerifiedStatusList>>();
  const failedAt = new Map<string, { at: number; error: unknown }>();
  const stats = { fetches: 0, failures: 0 };

  async function fetchAndVerify(uri: string): Promise<VerifiedStatusList> {
    let token: string | Uint8Array;
    try {
      token = await withTimeout(Promise.resolve().then(() => options.fetch(uri)), timeoutMs, `the status list ${uri}`);
    } catch (cause) {
      throw new NestokenError('ERR_STATUS_UNAVAILABLE', `the status list ${uri} could not be fetched`, { cause });
    }
    const value = await verifyStatusListToken(token, { trust: options.trust, uri, now: now(), clockSkew, ...(options.limits ? { limits: options.limits } : {}) });
    // A list older than one already verified is a replay that could lift a ban.
    const seen = cache.get(uri)?.value.iat;
    if (seen !== undefined && value.iat < seen) fail('ERR_STATUS_TOKEN', `the status list ${uri} is older than the one already seen`);
    return value;
  }

  /** One fetch at a time per list; its outcome, success or failure, is remembered for everyone. */
  async function load(uri: string): Promise<VerifiedStatusList> {
    stats.fetches++;
    try {
      const value = await fetchAndVerify(uri);
      const fetchedAt = now();
      cache.set(uri, { value, freshUntil: Math.min(fetchedAt + Math.min(ttl, value.ttl ?? ttl), value.exp ?? Number.MAX_SAFE_INTEGER) });
      failedAt.delete(uri);
      return value;
    } catch (error) {
      stats.failures++;
      failedAt.set(uri, { at: now(), error });
      throw error;
    }
  }

  async function listFor(uri: string): Promise<VerifiedStatusList> {
    const t = now();
    const entry = cache.get(uri);
    if (entry && t < entry.freshUntil) return entry.value;
    const failed = failedAt.get(uri);
    let attempt: Promise<VerifiedStatusList>;
    if (failed && t < failed.at + retryAfter) attempt = Promise.reject(failed.error);
    else {
      attempt = pending.get(uri) ?? load(uri).finally(() => pending.delete(uri));
      pending.set(uri, attempt);
    }
    try {
      return await attempt;
    } catch (error) {
      const exp = entry?.value.exp;
      if (entry && t < entry.freshUntil + staleFor && (exp === undefined || t < exp + clockSkew)) return entry.value;
      // verify keeps only the revocation codes; any other reason the token could not be read is the token's fault.
      if (error instanceof NestokenError && REVOCATION_CODES.has(error.code)) throw error;
      if (error instanceof NestokenError) throw new NestokenError('ERR_STATUS_TOKEN', `the status list ${uri}: ${error.message}`, { cause: error });
      throw new NestokenError('ERR_STATUS_UNAVAILABLE', `the status list ${uri} is unavailable`, { cause: error });
    }
  }

  const source = async (q: RevocationQuery): Promise<boolean> => {
    const ref = statusListReference(q?.status);
    if (ref === undefined) {
      if (options.requireReference) fail('ERR_STATUS_UNAVAILABLE', `layer ${q.index} carries no status list reference`, q.index);
      return false;
    }
    const { list } = await listFor(ref.uri);
    const value = list.get(ref.idx);
    const name = statusName(value);
    if (name === 'VALID') return false;
    if (name === 'INVALID' || name === 'SUSPENDED') fail(STATUS_CODE[name], `layer ${q.index} is ${name} in ${ref.uri} at ${ref.idx}`, q.index);
    if (options.acceptStatus?.(value, name) === true) return false;
    return fail('ERR_STATUS_REFUSED', `layer ${q.index} has status ${value} (${name}) in ${ref.uri}`, q.index);
  };
  return Object.assign(source, { stats });
}
