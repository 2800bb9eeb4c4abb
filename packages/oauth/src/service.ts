import { SignJWT, importJWK, type CryptoKey, type JSONWebKeySet, type JWK, type KeyObject } from 'jose';
import { encodeToken, extend, issue, NestokenError, thumbprintOf, type PublicKey, type SigningKey, type TrustBundle } from '@nestoken/core';
import { bindingClaims } from './binding.js';
import { MAX_REQUEST_BYTES, NOT_APPLICABLE, TOKEN_EXCHANGE_GRANT, TXN_TOKEN_TYP, TXN_TOKEN_TYPE } from './constants.js';
import { OAuthError, withinTime } from './oauth-error.js';
import { checkOptions, isBoolean, isFunction, isKeySet, isPlainObject, isText, isWhole, type Check } from './options.js';
import { parseTxnTokenRequest, type TxnTokenRequest } from './request.js';
import { readSubject, type Subject, type SubjectValidators } from './subject.js';
import type { TxnTokenClaims } from './txn-token.js';
import { verifyTxnBound } from './verify-bound.js';

/** The workload that asks, as client authentication established it. */
export interface ClientIdentity {
  /** Its workload identity: becomes `req_wl`. */
  readonly workload: string;
  /** Its key: when known, the response carries a nestoken root layer handed to it. */
  readonly key?: PublicKey | SigningKey | string;
}

export interface TxnTokenServiceOptions {
  /** The trust domain this service issues for: the request's `audience` and the tokens' `aud`. */
  readonly trustDomain: string;
  /** The Txn-Token signing key (JOSE): a private JWK or a key object, its `alg` and `kid`. */
  readonly signingKey: { readonly key: JWK | CryptoKey | KeyObject; readonly alg: string; readonly kid: string };
  /** The public keys of this service (JWKS), to verify Txn-Tokens presented for replacement. */
  readonly publicKeys: JSONWebKeySet;
  /** `iss` of issued Txn-Tokens; default none (the draft makes it optional). */
  readonly issuer?: string;
  /** The identifier a self-signed subject token must name in `aud`; default `issuer`, else the trust domain. */
  readonly serviceId?: string;
  /** Seconds a Txn-Token lives; default 300. */
  readonly lifetime?: number;
  readonly now?: () => number;
  /** A fresh transaction identifier; default a random UUID. */
  readonly newTxn?: () => string;
  /** Client authentication (the draft requires mutual authentication); throw OAuthError('invalid_client') to refuse. */
  readonly authenticateClient: (headers: Readonly<Record<string, string | undefined>>) => Promise<ClientIdentity>;
  readonly validateAccessToken?: SubjectValidators['validateAccessToken'];
  readonly selfSignedKeys?: SubjectValidators['selfSignedKeys'];
  /** The scope to issue, from the requested one and the subject's; default: the requested values, all within the subject's. */
  readonly decideScope?: (requested: string, subject: Subject, client: ClientIdentity) => string | undefined;
  /**
   * Accept `unsigned_json` subject tokens (the draft's type for a context the caller asserts without
   * a signature). Off by default: anyone can write one, so only a deployment whose client
   * authentication vouches for the caller turns it on.
   */
  readonly allowUnsignedJsonSubject?: boolean;
  /** Milliseconds each deployment hook (client authentication, subject validation) may take; default 5000. */
  readonly hookTimeoutMs?: number;
  /** When set, the service starts (and on replacement continues) a nestoken chain bound to each Txn-Token. */
  readonly chain?: { readonly key: SigningKey; readonly identity: string; readonly trust: TrustBundle };
}

/** A Txn-Token Response (RFC 8693 §2.2.1 as profiled by the draft). */
export interface TxnTokenResponse {
  readonly token_type: typeof NOT_APPLICABLE;
  readonly issued_token_type: typeof TXN_TOKEN_TYPE;
  readonly access_token: string;
  /** Our extension: the chain bound to this Txn-Token, handed to the caller's key. */
  readonly nestoken?: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Within: every requested value is one the subject already holds. */
function defaultScope(requested: string, subject: Subject): string | undefined {
  if (subject.scope === undefined) return undefined;
  const held = new Set(subject.scope.split(' ').filter(Boolean));
  const wanted = requested.split(' ').filter(Boolean);
  return wanted.length > 0 && wanted.every((s) => held.has(s)) ? wanted.join(' ') : undefined;
}

const SERVICE_OPTIONS: Readonly<Record<keyof TxnTokenServiceOptions, Check>> = {
  trustDomain: isText,
  signingKey: (v) => isPlainObject(v) && typeof v.key === 'object' && v.key !== null && isText(v.alg) && isText(v.kid),
  publicKeys: isKeySet,
  issuer: isText,
  serviceId: isText,
  lifetime: isWhole(1, 24 * 3600),
  now: isFunction,
  newTxn: isFunction,
  authenticateClient: isFunction,
  validateAccessToken: isFunction,
  selfSignedKeys: isFunction,
  decideScope: isFunction,
  allowUnsignedJsonSubject: isBoolean,
  hookTimeoutMs: isWhole(1, 120_000),
  chain: (v) => isPlainObject(v) && isPlainObject(v.key) && isText(v.identity) && typeof v.trust === 'object' && v.trust !== null,
};
const REQUEST_FIELDS = ['grantType', 'requestedTokenType', 'audience', 'scope', 'subjectToken', 'subjectTokenType'] as const;

/** A hook's answer of the wrong type is the deployment's fault: refused, never trusted. */
const textFromHook = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v === '' || v.length > 2048) throw new OAuthError('invalid_request', `${what} is not usable`);
  return v;
};

const contextOf = (c: { rctx?: Readonly<Record<string, unknown>> | undefined; tctx?: Readonly<Record<string, unknown>> | undefined }) => ({
  ...(c.rctx !== undefined ? { rctx: c.rctx } : {}),
  ...(c.tctx !== undefined ? { tctx: c.tctx } : {}),
});

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const json = (status: number, body: unknown, extra: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...NO_STORE, ...extra },
  body: JSON.stringify(body),
});

/** The Txn-Token Service (TTS): RFC 8693 token exchange as draft-ietf-oauth-transaction-tokens profiles it (spec §12.4). */
export class TxnTokenService {
  readonly #o: TxnTokenServiceOptions;
  #key: Promise<CryptoKey | KeyObject | Uint8Array> | undefined;

  constructor(options: TxnTokenServiceOptions) {
    checkOptions(options, 'TxnTokenService', SERVICE_OPTIONS, ['trustDomain', 'signingKey', 'publicKeys', 'authenticateClient']);
    this.#o = options;
  }

  #signingKey(): Promise<CryptoKey | KeyObject | Uint8Array> {
    const { key, alg } = this.#o.signingKey;
    this.#key ??= 'kty' in key ? importJWK(key as JWK, alg) : Promise.resolve(key as CryptoKey | KeyObject);
    return this.#key;
  }

  async #sign(claims: TxnTokenClaims): Promise<string> {
    const { alg, kid } = this.#o.signingKey;
    return new SignJWT(claims).setProtectedHeader({ typ: TXN_TOKEN_TYP, alg, kid }).sign(await this.#signingKey());
  }

  /** Decides one parsed request. Throws OAuthError for every refusal. */
  async exchange(request: TxnTokenRequest, client: ClientIdentity): Promise<TxnTokenResponse> {
    const o = this.#o;
    if (!isPlainObject(request) || !REQUEST_FIELDS.every((k) => typeof request[k] === 'string')) throw new NestokenError('ERR_USAGE', 'exchange takes a request from parseTxnTokenRequest');
    if (!isPlainObject(client) || typeof client.workload !== 'string') throw new NestokenError('ERR_USAGE', 'exchange takes the client identity from client authentication');
    if (request.grantType !== TOKEN_EXCHANGE_GRANT) throw new OAuthError('unsupported_grant_type', 'only token exchange is served here');
    if (request.requestedTokenType !== TXN_TOKEN_TYPE) throw new OAuthError('invalid_request', `requested_token_type must be ${TXN_TOKEN_TYPE}`);
    if (request.audience !== o.trustDomain) throw new OAuthError('invalid_target', `this service issues for ${o.trustDomain}`);
    const now = o.now ? o.now() : Math.floor(Date.now() / 1000);
    if (!Number.isSafeInteger(now) || now < 0) throw new NestokenError('ERR_USAGE', 'the service clock (now) gives whole seconds since the epoch');
    const txnTokens = { keys: o.publicKeys, trustDomain: o.trustDomain };
    const ms = o.hookTimeoutMs ?? 5000;
    const timed =
      <A, R>(hook: (a: A) => Promise<R>) =>
      (a: A): Promise<R> =>
        withinTime(Promise.resolve().then(() => hook(a)), ms, () => new OAuthError('invalid_request', 'the subject token could not be checked in time'));
    const subject = await readSubject(request.subjectToken, request.subjectTokenType, {
      serviceId: o.serviceId ?? o.issuer ?? o.trustDomain,
      txnTokens,
      now,
      ...(o.allowUnsignedJsonSubject === true ? { allowUnsignedJsonSubject: true } : {}),
      ...(o.validateAccessToken ? { validateAccessToken: timed(o.validateAccessToken) } : {}),
      ...(o.selfSignedKeys ? { selfSignedKeys: timed(o.selfSignedKeys) } : {}),
    });
    const scope = (o.decideScope ?? defaultScope)(request.scope, subject, client);
    if (typeof scope !== 'string' || scope === '' || scope.length > 2048) throw new OAuthError('invalid_scope', 'the requested scope is not within what the subject token allows');

    const old = subject.replaces;
    // A replacement keeps txn, sub and aud, may narrow but never widen, and keeps the context.
    const claims: TxnTokenClaims = {
      iat: now,
      aud: o.trustDomain,
      exp: now + (o.lifetime ?? 300),
      txn: old ? old.txn : textFromHook((o.newTxn ?? (() => crypto.randomUUID()))(), 'the new transaction identifier'),
      sub: subject.sub,
      scope,
      req_wl: textFromHook(client.workload, 'the client workload'),
      ...(o.issuer !== undefined ? { iss: o.issuer } : {}),
      // On replacement the context is the replaced Txn-Token's, absent ones included: a later
      // workload must not add a request context the edge never asserted.
      ...contextOf(old ? { rctx: old.rctx, tctx: old.tctx } : { rctx: request.requestContext, tctx: request.requestDetails }),
    };
    const txnToken = await this.#sign(claims);
    const nestoken = await this.#chainFor(txnToken, claims, client, old ? request : undefined, now);
    return { token_type: NOT_APPLICABLE, issued_token_type: TXN_TOKEN_TYPE, access_token: txnToken, ...(nestoken ? { nestoken } : {}) };
  }

  /** A root layer bound to the new Txn-Token, or, on replacement, the caller's chain continued by a rebinding layer. */
  async #chainFor(txnToken: string, claims: TxnTokenClaims, client: ClientIdentity, replacing: TxnTokenRequest | undefined, now: number): Promise<string | undefined> {
    const chain = this.#o.chain;
    if (!chain) return undefined;
    const layerClaims = { iss: chain.identity, iat: now, exp: claims.exp, scope: claims.scope, ...bindingClaims(txnToken, claims.txn) };
    if (replacing) {
      // The draft: a replacement MUST maintain the call chain. The caller hands us the chain bound to the old Txn-Token.
      if (replacing.nestoken === undefined) throw new OAuthError('invalid_request', 'a replacement carries the chain of the Txn-Token it replaces in the nestoken parameter');
      const { path } = await verifyTxnBound(replacing.nestoken, replacing.subjectToken, {
        chain: { trust: chain.trust, now, audience: chain.key.publicKey, issuers: [chain.identity] },
        txnToken: { keys: this.#o.publicKeys, trustDomain: this.#o.trustDomain },
      }).catch((e: unknown) => {
        throw new OAuthError('invalid_request', `the chain of the replaced Txn-Token does not verify: ${e instanceof Error ? e.message : ''}`);
      });
      if (client.key === undefined) throw new OAuthError('invalid_client', 'continuing a chain needs the caller key');
      const exp = Math.min(layerClaims.exp, path.expiresAt);
      return encodeToken(await extend(replacing.nestoken, { key: chain.key, audienceKey: client.key, claims: { ...layerClaims, exp } }), 'jwt');
    }
    if (client.key === undefined) return undefined;
    thumbprintOf(client.key);
    return encodeToken(await issue({ key: chain.key, audienceKey: client.key, claims: { ...layerClaims, sub: claims.sub } }), 'jwt');
  }

  /**
   * The token endpoint over HTTP, independent of the server library: POST with an
   * `application/x-www-form-urlencoded` body of bounded size; errors as RFC 6749 §5.2.
   */
  async handle(method: string | undefined, headers: Readonly<Record<string, string | undefined>>, body: Uint8Array): Promise<HttpAnswer> {
    if (!isPlainObject(headers) || !(body instanceof Uint8Array)) throw new NestokenError('ERR_USAGE', 'handle takes the method, the request headers and the body bytes');
    try {
      if (method !== 'POST') return json(405, { error: 'invalid_request', error_description: 'the token endpoint takes POST' }, { allow: 'POST' });
      const type = String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request', 'the body is application/x-www-form-urlencoded');
      if (body.length > MAX_REQUEST_BYTES) throw new OAuthError('invalid_request', 'the request is too large');
      const authentication = Promise.resolve().then(() => this.#o.authenticateClient(headers));
      const client = await withinTime(authentication, this.#o.hookTimeoutMs ?? 5000, () => new OAuthError('invalid_client', 'client authentication did not answer in time')).catch((e: unknown) => {
        throw e instanceof OAuthError ? e : new OAuthError('invalid_client', 'client authentication failed');
      });
      const request = parseTxnTokenRequest(new URLSearchParams(new TextDecoder('utf-8', { fatal: false }).decode(body)));
      return json(200, await this.exchange(request, client));
    } catch (e) {
      if (e instanceof OAuthError) {
        return json(e.status, { error: e.error, error_description: e.description }, e.status === 401 ? { 'www-authenticate': 'Bearer error="invalid_client"' } : {});
      }
      return json(500, { error: 'server_error', error_description: 'the Txn-Token Service failed' });
    }
  }
}
