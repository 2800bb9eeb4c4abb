import { loadSignerJwks, type TrustBundle } from '@nestoken/core';
import { h } from './dom.js';
import { failureOf } from './failure.js';
import { inspectCrate } from './inspect-crate.js';
import { inspectToken } from './inspect-token.js';
import type { Inspection } from './model.js';
import { chainView, failureBox } from './view-chain.js';
import { crateView } from './view-crate.js';
import './style.css';

const field = (id: string): HTMLTextAreaElement | HTMLInputElement => document.getElementById(id) as HTMLTextAreaElement;

/** Everything the inputs say, computed with the shipped library; no input leaves the page. */
export async function inspect(token: string, crate: string, trustText: string, now: number): Promise<Inspection> {
  let trust: TrustBundle | undefined;
  let trustFailure;
  if (trustText.trim()) {
    try {
      // The page shows what a JWKS of direct signers proves; each signer is scoped by its own `sub`.
      trust = loadSignerJwks(trustText.trim(), { trustDomainFromSub: true });
    } catch (e) {
      trustFailure = failureOf(e);
    }
  }
  const out: { -readonly [K in keyof Inspection]: Inspection[K] } = trustFailure ? { trustFailure } : {};
  if (token.trim()) {
    try {
      out.chain = await inspectToken(token.trim(), trust, now);
    } catch (e) {
      out.tokenFailure = failureOf(e);
    }
  }
  if (crate.trim()) {
    try {
      out.crate = await inspectCrate(crate, trust, now);
    } catch (e) {
      out.crateFailure = failureOf(e);
    }
  }
  return out;
}

function render(result: Inspection): void {
  const verdict = document.getElementById('verdict')!;
  const chain = document.getElementById('chain')!;
  const crate = document.getElementById('crate-view')!;
  verdict.replaceChildren(
    ...(result.trustFailure ? [failureBox(result.trustFailure, 'the trust bundle cannot be read')] : []),
    ...(result.tokenFailure ? [h('div', { class: 'banner invalid', 'data-status': 'invalid' }, failureBox(result.tokenFailure, 'the token cannot be read'))] : []),
    ...(result.crateFailure ? [h('div', { class: 'banner invalid', 'data-status': 'invalid' }, failureBox(result.crateFailure, 'the crate cannot be read'))] : []),
  );
  chain.replaceChildren(...(result.chain ? [chainView(result.chain)] : []));
  crate.replaceChildren(...(result.crate ? [crateView(result.crate)] : []));
}

async function run(): Promise<void> {
  const nowText = field('now').value.trim();
  const now = /^\d{1,12}$/.test(nowText) ? Number(nowText) : Math.floor(Date.now() / 1000);
  document.body.dataset.state = 'working';
  render(await inspect(field('token').value, field('crate').value, field('trust').value, now));
  document.body.dataset.state = 'done';
}

document.getElementById('inspect')!.addEventListener('click', () => void run());
for (const id of ['token', 'crate', 'trust']) field(id).addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key === 'Enter' && ((e as KeyboardEvent).ctrlKey || (e as KeyboardEvent).metaKey)) void run();
});
document.body.dataset.state = 'ready';
