import { issueIdentityDocument, type Layer } from '@nestoken/core';
import { scalarBytes, scalarOf } from '../bytes.js';
import { HOUR, NOW } from '../cast.js';
import { aggregateChain, aggregateExtras, type AggregateHop, idChain } from '../chains.js';
import type { TokenVectorFile } from '../model.js';
import { replaceAt, structuralExpectation, swap, tamperExpectation, without } from '../structure.js';
import { reencode } from '../wire/layer.js';
import { ORDER } from './anonymous.js';
import { addToken, topicContext } from './context.js';

const WORKLOAD = 'spiffe://example.org/workload';

export async function hybridVectors(seed: string): Promise<TokenVectorFile> {
  const { cast, file } = topicContext(seed);
  const signers = ['idp', 'gateway', 'foo', 'bar'];
  const g = file.group({
    comment:
      'Hybrid mode: anonymous links mixed with identified ones, whose keys are folded into the aggregate under a challenge of their own. ' +
      'The bundle lists idp, gateway, foo and bar, and an authority whose identity documents vouch for the workload key.',
    keys: cast.publicKeys([...signers, 'authority', 'workload', 'stranger']),
    privateKeys: cast.privateKeys(['gateway', 'foo', 'bar', 'workload']),
    trust: cast.trust(signers, ['authority']),
  });
  const wit = (key: string, expiresAt = NOW + HOUR, subject = WORKLOAD) =>
    issueIdentityDocument({ authority: cast.key('authority'), subject, key: cast.key(key).publicKey, expiresAt, issuer: 'https://authority.example' });
  const chain = (tag: string, rootFormat: 'jwt' | 'cbor', hops: AggregateHop[], sealed = false) => aggregateChain(cast, { root: 'idp', rootFormat, hops, tag, sealed });

  const documented = { wit: await wit('workload'), identity: WORKLOAD };
  const shapes: Array<[string, 'jwt' | 'cbor', AggregateHop[], boolean, string[]]> = [
    ['one identified hop', 'jwt', [{ format: 'cbor', identified: 'gateway' }], false, []],
    ['identified, then anonymous', 'jwt', [{ format: 'cbor', identified: 'gateway' }, { format: 'jwt' }], false, ['MixedFormats']],
    ['anonymous, then identified', 'cbor', [{ format: 'cbor' }, { format: 'jwt', identified: 'foo' }], false, ['MixedFormats']],
    ['every hop identified', 'cbor', [{ format: 'jwt', identified: 'gateway' }, { format: 'cbor', identified: 'foo' }, { format: 'jwt', identified: 'bar' }], false, ['MixedFormats']],
    ['identified last hop, sealed', 'jwt', [{ format: 'jwt' }, { format: 'cbor', identified: 'bar' }], true, ['MixedFormats', 'Sealed']],
    ['a hop vouched for by an identity document', 'jwt', [{ format: 'cbor', identified: 'workload', document: documented }, { format: 'jwt' }], false, ['MixedFormats', 'IdentityDocument']],
    [
      'eight links, three identified',
      'jwt',
      [{ format: 'cbor' }, { format: 'jwt', identified: 'gateway' }, { format: 'cbor' }, { format: 'cbor' }, { format: 'jwt', identified: 'foo' }, { format: 'jwt' }, { format: 'cbor', identified: 'bar' }],
      false,
      ['MixedFormats', 'LongChain'],
    ],
  ];
  for (const [k, [comment, rootFormat, hops, sealed, flags]] of shapes.entries()) {
    const b = await chain(`hybrid${k}`, rootFormat, hops, sealed);
    addToken(g, b.token, { comment, flags: ['ValidChain', ...flags], expect: { valid: b.path }, ...aggregateExtras(b) });
    if (k === 3 || k === 5) addToken(g, b.token, { comment: `${comment}, checked hop by hop`, flags: ['ValidChain', 'SequentialVerifier', ...flags], options: { aggregateVerifier: 'sequential' }, expect: { valid: b.path }, ...aggregateExtras(b) });
  }

  const base = await chain('base', 'jwt', [{ format: 'cbor', identified: 'gateway' }, { format: 'jwt' }, { format: 'cbor', identified: 'foo' }]);
  const L = base.token.layers;
  const proof = base.token.proof!;
  const n = L.length;
  const add = (layers: readonly Layer[], comment: string, flags: string[], expect = structuralExpectation(layers, 'aggregate')) => addToken(g, { layers, proof }, { comment, flags, expect });
  const relabel = (layer: Layer, role: string | undefined, iss: 'keep' | 'follow') => {
    const { kid: _kid, ...header } = layer.header;
    const { iss: _iss, ...claims } = layer.claims;
    return reencode(layer, {
      header: role === undefined ? header : { ...header, kid: cast.kid(role) },
      claims: iss === 'keep' ? layer.claims : role === undefined ? claims : { ...claims, iss: cast.identity(role) },
    });
  };
  add(replaceAt(L, 3, relabel(L[3]!, 'bar', 'keep')), "the last hop's kid swapped for bar's, its iss kept", ['HybridKeySwap', 'IssuerMismatch'], { code: 'ERR_ISSUER_MISMATCH', layer: 3 });
  add(replaceAt(L, 3, relabel(L[3]!, 'bar', 'follow')), "the last hop attributed to bar: kid and iss swapped", ['HybridKeySwap'], tamperExpectation(3, n, 'aggregate'));
  add(replaceAt(L, 3, relabel(L[3]!, 'idp', 'follow')), 'the last hop attributed to the issuer key', ['HybridKeySwap'], tamperExpectation(3, n, 'aggregate'));
  add(replaceAt(L, 1, relabel(L[1]!, 'bar', 'follow')), 'an inner identified hop attributed to bar', ['HybridKeySwap'], tamperExpectation(1, n, 'aggregate'));
  add(replaceAt(L, 3, relabel(L[3]!, undefined, 'follow')), 'the last identified hop made anonymous', ['IdentityStripped'], tamperExpectation(3, n, 'aggregate'));
  add(replaceAt(L, 1, relabel(L[1]!, undefined, 'follow')), 'an inner identified hop made anonymous', ['IdentityStripped'], tamperExpectation(1, n, 'aggregate'));
  add(replaceAt(L, 2, relabel(L[2]!, 'bar', 'follow')), 'an inner anonymous hop attributed to bar', ['IdentityAdded'], tamperExpectation(2, n, 'aggregate'));
  const anonLast = await chain('anon-last', 'cbor', [{ format: 'jwt', identified: 'gateway' }, { format: 'cbor' }]);
  const AL = anonLast.token.layers;
  addToken(g, { layers: replaceAt(AL, 2, relabel(AL[2]!, 'foo', 'follow')), proof: anonLast.token.proof! }, { comment: 'the last, anonymous hop attributed to foo', flags: ['IdentityAdded'], expect: tamperExpectation(2, 3, 'aggregate') });
  const rogue = await chain('rogue', 'jwt', [{ format: 'cbor', identified: 'bar' }]);
  addToken(g, { layers: replaceAt(rogue.token.layers, 1, relabel(rogue.token.layers[1]!, 'foo', 'follow')), proof: rogue.token.proof! }, { comment: "bar signs its hop with its own key, then names foo's", flags: ['RogueKey'], expect: { code: 'ERR_SIGNATURE_INVALID' } });
  const stranger = await chain('stranger', 'jwt', [{ format: 'jwt', identified: 'stranger' }, { format: 'cbor' }]);
  addToken(g, stranger.token, { comment: 'an identified hop whose key the bundle does not list, without an identity document', flags: ['UntrustedKey'], expect: { code: 'ERR_KEY_UNTRUSTED', layer: 1 } });
  const wrongDoc = await chain('wrong-doc', 'jwt', [{ format: 'cbor', identified: 'stranger', document: documented }]);
  addToken(g, wrongDoc.token, { comment: 'an identified hop that carries the identity document of another key', flags: ['DocumentWrongKey'], expect: { code: 'ERR_IDENTITY_DOCUMENT', layer: 1 } });
  const shortDoc = await chain('short-doc', 'cbor', [{ format: 'jwt', identified: 'workload', document: { wit: await wit('workload', NOW + 600), identity: WORKLOAD } }]);
  addToken(g, shortDoc.token, { comment: 'the identity document expires before the chain: checked at now + 11 minutes', flags: ['DocumentExpired'], now: NOW + 660, expect: { code: 'ERR_EXPIRED', layer: 1 } });
  addToken(g, shortDoc.token, { comment: 'the same chain while its identity document is valid', flags: ['IdentityDocument', 'ValidChain'], expect: { valid: shortDoc.path }, ...aggregateExtras(shortDoc) });

  for (let k = 1; k < n; k++) add(L.slice(0, k), `only the first ${k} of ${n} links`, ['TailTruncation']);
  add(L.slice(1), 'the root removed', ['RootRemoved']);
  add(without(L, 2), 'the anonymous link removed', ['LayerRemoved']);
  add(swap(L, 1, 2), 'an identified and an anonymous link swapped', ['Reorder']);
  add([...L.slice(0, 2), L[1]!, ...L.slice(2)], 'the identified link 1 repeated', ['DuplicateLayer']);
  const other = await chain('other', 'jwt', [{ format: 'cbor', identified: 'gateway' }, { format: 'jwt' }, { format: 'cbor', identified: 'foo' }]);
  add([...L.slice(0, 2), ...other.token.layers.slice(2)], 'two links of one chain, two of another with the same identities', ['Splice']);
  addToken(g, { layers: L, proof: scalarBytes((scalarOf(proof) + 1n) % ORDER) }, { comment: 's_n + 1', flags: ['ModifiedScalar'], expect: { code: 'ERR_SIGNATURE_INVALID' } });
  const idLayer = (await idChain(cast, { roles: ['idp', 'gateway'], formats: ['jwt'], tag: 'id-root' })).token.layers[0]!;
  add([...L, idLayer], 'an ID-mode layer after a hybrid chain', ['ModeMixed'], { code: 'ERR_MODE_MIXED', layer: n });
  addToken(g, base.token, { comment: 'a hybrid chain where the verifier accepts only anonymous chains', flags: ['AlgNotAllowedByVerifier'], options: { modes: ['anon'] }, expect: { code: 'ERR_ALG_NOT_ALLOWED' } });
  addToken(g, base.token, { comment: 'revoked by the identity of the last identified hop', flags: ['Revoked'], options: { revoked: { identity: [cast.identity('foo')] } }, expect: { code: 'ERR_REVOKED', layer: 3 } });
  addToken(g, base.token, { comment: 'the unchanged base chain', flags: ['ValidChain', 'MixedFormats'], expect: { valid: base.path }, ...aggregateExtras(base) });

  return file.finish({
    topic: 'hybrid',
    algorithm: 'nst-r255',
    header: [
      'Hybrid mode (spec §6.3, §6.6.4): identified links prove possession of a long-term key inside the aggregate, without a separate signature.',
      'Key swaps, stripped and added identities, rogue keys, identity documents.',
    ],
  });
}
