/**
 * Asks on stderr and reads one line of stdin (a terminal or a pipe): for the commands that destroy
 * something and take `--yes` to skip the question.
 * @module
 */

import { createInterface } from 'node:readline';

/** Resolves with the line typed (trimmed), or `''` when stdin ends first. */
export function ask(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
    let answered = false;
    rl.on('close', () => {
      if (!answered) process.stderr.write('\n');
      resolve('');
    });
    rl.question(question, (answer) => {
      answered = true;
      resolve(answer.trim()); // before close(): its handler resolves '' otherwise
      rl.close();
    });
  });
}
