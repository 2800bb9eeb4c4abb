import type { Answer } from './outside-client.js';

export interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  /** One line: what was tried and what happened (or, on failure, what was expected). */
  readonly text: string;
}

/** `401 ERR_...` for a refusal, the status otherwise. */
export function describeAnswer(answer: Answer): string {
  const error = (answer.body as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? `${answer.status} ${error}` : String(answer.status);
}

export function expectRefusal(name: string, what: string, answer: Answer, code: string): Outcome {
  const got = describeAnswer(answer);
  const ok = got === `401 ${code}`;
  return { name, ok, text: ok ? `${what}: ${got}` : `${what}: expected 401 ${code}, got ${got}` };
}

export function expectThat(name: string, ok: boolean, text: string, failure: () => string): Outcome {
  return { name, ok, text: ok ? text : `${text}: ${failure()}` };
}
