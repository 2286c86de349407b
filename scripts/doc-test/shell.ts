/**
 * Runs a document's shell blocks in order, the way a reader pastes them into one terminal:
 * variables set by one block (`export HERALD_URL=…`, `ID=$(… | jq -r .id)`) and the working
 * directory carry over to the next. Each block runs in `bash` with `set -eo pipefail` and `curl`
 * failing on HTTP errors (`--fail-with-body`), so any failed step fails the block; what it prints
 * (stdout and stderr, as a terminal shows them) is returned for comparison.
 * @module
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ShellResult {
  status: number | null;
  output: string;
  timedOut: boolean;
}

/** Addresses the docs use, and where the harness serves them instead. */
export type Rewrites = ReadonlyArray<readonly [from: string, to: string]>;

export function rewrite(code: string, rewrites: Rewrites): string {
  let out = code;
  for (const [from, to] of rewrites) out = out.split(from).join(to);
  return out;
}

const PRELUDE = `
set -eo pipefail
curl() { command curl --fail-with-body "$@"; }
__dt_dir=$1
if [ -f "$__dt_dir/state.sh" ]; then source "$__dt_dir/state.sh"; fi
if [ -f "$__dt_dir/cwd" ]; then cd "$(cat "$__dt_dir/cwd")"; fi
__dt_save() {
  __dt_names=$(compgen -v | grep -vE '^(__dt_|_$|BASH|PIPESTATUS$|OLDPWD$|PWD$|SHLVL$|FUNCNAME$|COLUMNS$|LINES$|OPTARG$|OPTIND$|COMP_|READLINE|HIST|RANDOM$|SECONDS$|LINENO$|SRANDOM$|EPOCH|GROUPS$|DIRSTACK$|HOSTNAME$|HOSTTYPE$|MACHTYPE$|OSTYPE$|IFS$|PS[0-9]$)' || true)
  declare -p $__dt_names 2>/dev/null | grep -vE '^declare -[a-zA-Z-]*r' > "$__dt_dir/state.sh" || true
  pwd > "$__dt_dir/cwd"
}
trap __dt_save EXIT
exec > "$__dt_dir/output" 2>&1
source "$__dt_dir/block.sh"
`;

/** One terminal session: blocks run in it share variables and the working directory. */
export class ShellSession {
  readonly dir = mkdtempSync(join(tmpdir(), 'herald-doc-shell-'));
  private readonly groups: number[] = [];

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    writeFileSync(join(this.dir, 'prelude.sh'), PRELUDE);
  }

  async run(code: string, timeoutSeconds: number): Promise<ShellResult> {
    writeFileSync(join(this.dir, 'block.sh'), `${code}\n`);
    writeFileSync(join(this.dir, 'output'), '');
    const child = spawn('bash', ['--noprofile', '--norc', join(this.dir, 'prelude.sh'), this.dir], {
      cwd: this.cwd,
      env: this.env,
      stdio: 'ignore',
      detached: true, // its own process group: what it leaves running in the background is stopped at the end
    });
    if (child.pid !== undefined) this.groups.push(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) kill(child.pid);
    }, timeoutSeconds * 1000);
    const status = await new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', () => resolve(null));
    });
    clearTimeout(timer);
    return { status, output: readFileSync(join(this.dir, 'output'), 'utf8'), timedOut };
  }

  /** Stops every process a block left running (a receiver started with `&`). */
  close(): void {
    for (const pgid of this.groups) kill(pgid);
  }
}

function kill(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    // already gone
  }
}
