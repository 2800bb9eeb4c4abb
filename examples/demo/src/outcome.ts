import type { Answer } from './outside-client.js';

export interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  /** One line: what was tried and what happened (or, on failure, what was expected). */
  readonly text: string;
}

/** `401 ERR_...` for a refusal (the problem's `code`, or the demo's own `error`), the status otherwise. */
export function describeAnswer(answer: Answer): string {
  const body = answer.body as { code?: unknown; error?: unknown } | null;
  const code = body?.code ?? body?.error;
  return typeof code === 'string' ? `${answer.status} ${code}` : String(answer.status);
}

/** A refusal with this code; the status follows the code (401 for a chain, 400 for a bad proof, spec §11.5). */
export function expectRefusal(name: string, what: string, answer: Answer, code: string, status = 401): Outcome {
  const got = describeAnswer(answer);
  const ok = got === `${status} ${code}`;
  return { name, ok, text: ok ? `${what}: ${got}` : `${what}: expected ${status} ${code}, got ${got}` };
}

export function expectThat(name: string, ok: boolean, text: string, failure: () => string): Outcome {
  return { name, ok, text: ok ? text : `${text}: ${failure()}` };
}
