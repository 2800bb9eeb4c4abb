import { bytes, h, short, time } from './dom.js';
import type { ChainView, Failure, LayerView, Verdict } from './model.js';

/** The failure box: code, spec section, message. */
export function failureBox(f: Failure, where: string): HTMLElement {
  return h(
    'div',
    { class: 'failure', 'data-code': f.code },
    h('strong', { class: 'code' }, f.code),
    f.section ? h('span', { class: 'section' }, f.section) : undefined,
    h('p', {}, `${where}${f.layer === undefined || where === 'this layer fails' ? '' : ` at layer ${f.layer}`}: ${f.message}`),
  );
}

export function verdictBanner(v: Verdict, what: string): HTMLElement {
  if (v.status === 'valid') {
    return h('div', { class: 'banner valid', 'data-status': 'valid' }, `${what} verifies`, what === 'the chain' ? ` — ${v.mode} mode${v.sealed ? ', sealed' : ''}, issued by ${v.issuer}` : '');
  }
  if (v.status === 'unverified') return h('div', { class: 'banner unverified', 'data-status': 'unverified' }, `${what}: ${v.reason}`);
  return h('div', { class: 'banner invalid', 'data-status': 'invalid' }, failureBox(v.failure, `${what} fails`));
}

function row(label: string, value: string | undefined, title?: string): HTMLElement | undefined {
  if (value === undefined) return undefined;
  return h('div', { class: 'row' }, h('span', { class: 'label' }, label), h('span', { class: 'value', ...(title ? { title } : {}) }, value));
}

function layerCard(layer: LayerView, failure: Failure | undefined, last: boolean): HTMLElement {
  const failing = failure?.layer === layer.index;
  const { iat, nbf, exp } = layer.times;
  const card = h(
    'article',
    { class: `layer${failing ? ' failing' : ''}`, 'data-layer': String(layer.index) },
    h('header', {}, h('span', { class: 'hop' }, `hop ${layer.index}`), h('span', { class: `format ${layer.format}` }, `${layer.format.toUpperCase()} · ${layer.alg}`)),
    h('div', { class: 'identity', title: layer.identitySource }, layer.identity ?? '(unknown signer)', h('small', {}, layer.identitySource)),
    row('key', layer.keyThumbprint ? short(layer.keyThumbprint) : 'none (anonymous)', layer.keyThumbprint),
    row('hands to', layer.nextKey ? short(layer.nextKey) : undefined, layer.nextKey),
    row('issued', iat === undefined ? undefined : time(iat)),
    row('not before', nbf === undefined ? undefined : time(nbf)),
    row('expires', exp === undefined ? undefined : time(exp)),
    row('size', bytes(layer.bytes)),
    h('details', { open: '' }, h('summary', {}, 'claims'), h('pre', { class: 'claims' }, JSON.stringify(layer.claims, null, 2))),
    failing && failure ? failureBox(failure, 'this layer fails') : undefined,
  );
  return last ? card : h('div', { class: 'link' }, card, h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'));
}

/** The chain as a row of cards, root first, the failing layer marked and explained on the card. */
export function chainView(chain: ChainView): HTMLElement {
  const failure = chain.verdict.status === 'invalid' ? chain.verdict.failure : undefined;
  const s = chain.sizes;
  return h(
    'div',
    { class: 'chain-view' },
    verdictBanner(chain.verdict, 'the chain'),
    h('p', { class: 'sizes' }, `${chain.layers.length} layers, ${chain.mode} mode, pasted in ${chain.form.toUpperCase()} form (${bytes(s.input)}). ` +
      `JWT form ${bytes(s.jwtForm)} · CBOR form ${bytes(s.cborForm)} raw, ${bytes(s.cborBase64url)} as base64url`),
    h('div', { class: 'layers' }, ...chain.layers.map((l, i) => layerCard(l, failure, i === chain.layers.length - 1))),
  );
}
