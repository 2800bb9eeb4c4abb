import type { GraphEdge, GraphNode, SizeReport } from '@nestoken/crate';

/** What the page shows, computed from the inputs without touching the page: the views draw it. */

/** A failure as a person reads it: the stable code, the spec section that defines the check, what went wrong. */
export interface Failure {
  readonly code: string;
  readonly section: string;
  readonly message: string;
  /** The layer the check failed on, when it is one layer's fault. */
  readonly layer?: number;
}

export interface LayerView {
  readonly index: number;
  readonly format: 'jwt' | 'cbor';
  readonly alg: string;
  /** Thumbprint of the signing key (`kid`), absent on anonymous links. */
  readonly keyThumbprint?: string;
  /** Who signed: proven by verification, else as the trust bundle or the layer itself says. */
  readonly identity?: string;
  readonly identitySource: 'proven' | 'trust bundle' | 'iss claim (unverified)' | 'anonymous' | 'unknown';
  /** Thumbprint of the key the layer hands the token to (cnf.jkt). */
  readonly nextKey?: string;
  readonly times: { readonly iat?: number; readonly nbf?: number; readonly exp?: number };
  /** Every claim, JSON-safe (bytes as hex). */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly bytes: number;
}

export type Verdict =
  | { readonly status: 'valid'; readonly mode: string; readonly sealed: boolean; readonly issuer: string }
  | { readonly status: 'invalid'; readonly failure: Failure }
  | { readonly status: 'unverified'; readonly reason: string };

export interface ChainView {
  readonly form: 'jwt' | 'cbor';
  readonly mode: 'id' | 'aggregate';
  readonly layers: readonly LayerView[];
  readonly sizes: { readonly input: number; readonly jwtForm: number; readonly cborForm: number; readonly cborBase64url: number };
  readonly verdict: Verdict;
}

export interface CrateView {
  readonly root: string;
  readonly input: 'compact' | 'car';
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly sizes: SizeReport;
  readonly verdict: Verdict;
  /** What verification says of each token in the crate, by CID. */
  readonly tokens: ReadonlyArray<{ readonly cid: string; readonly format: string; readonly identities?: readonly string[] }>;
}

export interface Inspection {
  /** The token could not be read at all. */
  readonly tokenFailure?: Failure;
  readonly chain?: ChainView;
  readonly crateFailure?: Failure;
  readonly crate?: CrateView;
  /** The trust bundle could not be read. */
  readonly trustFailure?: Failure;
}
