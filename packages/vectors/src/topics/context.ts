import { FileBuilder, type CaseInit, type GroupBuilder } from '../builder.js';
import { Cast, NOW } from '../cast.js';
import { Seeded } from '../seeded.js';
import { bothForms, type WireToken } from '../wire/container.js';

export interface TopicContext {
  readonly seed: string;
  readonly cast: Cast;
  readonly file: FileBuilder;
}

export const topicContext = (seed: string): TopicContext => ({ seed, cast: new Cast(new Seeded(seed)), file: new FileBuilder(seed) });

/** A case whose token is a list of layers, in both containers; the time defaults to NOW. */
export function addToken(group: GroupBuilder, token: WireToken, c: Omit<CaseInit, 'now' | 'jwt' | 'cborHex'> & { now?: number }): void {
  group.add({ ...c, now: c.now ?? NOW, ...bothForms(token) });
}
