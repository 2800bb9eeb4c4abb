import type { NestokenContext } from './verify-request.js';

/**
 * The proven path as span attributes for tracing, named in the OpenTelemetry manner (a
 * `nestoken.` namespace, dotted lower-case keys, primitive or homogeneous array values), so
 * `span.setAttributes(nestokenAttributes(ctx))` records who the request came through.
 */
export function nestokenAttributes(context: NestokenContext): Record<string, string | number | boolean | string[]> {
  const { path } = context;
  return {
    'nestoken.chain.mode': path.mode,
    'nestoken.chain.issuer': path.issuer,
    'nestoken.chain.length': path.hops.length,
    'nestoken.chain.hops': path.hops.map((h) => h.identity),
    'nestoken.chain.sealed': path.sealed,
    'nestoken.chain.expires_at': path.expiresAt,
    ...(context.caller ? { 'nestoken.caller.identity': context.caller.identity, 'nestoken.caller.key_thumbprint': context.caller.keyThumbprint } : {}),
    ...(context.crate ? { 'nestoken.crate.root': context.crate.report.root, 'nestoken.crate.bound_by': context.crate.boundBy } : {}),
  };
}
