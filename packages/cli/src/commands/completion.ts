import type { Command } from '../command.js';
import { bashCompletion, zshCompletion } from '../completion.js';
import { commandGroup, defineCommand } from '../define.js';

const script = (shell: string, install: string, make: (commands: readonly Command[]) => string, commands: () => readonly Command[]) =>
  defineCommand({
    name: `completion ${shell}`,
    summary: `print the ${shell} completion script; install: ${install}`,
    usage: '',
    options: {},
    async run(_flags, io) {
      io.stdout(make(commands()));
      return 0;
    },
  });

/** `nestoken completion bash|zsh`: the script for the shell, made from the commands as they are. */
export const completionCommand = (commands: () => readonly Command[]): Command =>
  commandGroup('completion', 'print a shell completion script (bash or zsh)', '', {
    bash: script('bash', 'nestoken completion bash > ~/.local/share/bash-completion/completions/nestoken', bashCompletion, commands),
    zsh: script('zsh', 'nestoken completion zsh > "${fpath[1]}/_nestoken"', zshCompletion, commands),
  });
