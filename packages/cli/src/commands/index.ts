import type { Command } from '../command.js';
import { completionCommand } from './completion.js';
import { crateCommand } from './crate.js';
import { extend } from './extend.js';
import { inspect } from './inspect.js';
import { issue } from './issue.js';
import { keygen } from './keygen.js';
import { seal } from './seal.js';
import { statusCommand } from './status.js';
import { vectorsCommand } from './vectors.js';
import { verify } from './verify.js';
import { witCommand } from './wit.js';

/** Every `nestoken` command, in the order `nestoken help` lists them. */
export const COMMANDS: readonly Command[] = [
  keygen,
  issue,
  extend,
  seal,
  verify,
  inspect,
  witCommand,
  crateCommand,
  statusCommand,
  vectorsCommand,
  completionCommand(() => COMMANDS),
];
