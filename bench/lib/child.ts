import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Forks one of the bench's TypeScript helper processes (run through tsx), with an IPC channel. */
export function forkHelper(file: string, args: string[] = []): ChildProcess {
  const path = fileURLToPath(new URL(file, import.meta.url));
  return fork(path, args, {
    execArgv: ['--conditions=@herald/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** `Omit` applied to each member of a union. */
export type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Request/response over a child's IPC channel: every message carries an `id`, echoed in the reply. */
export class IpcClient<Req extends { id: number }, Rep extends { id: number; ok: boolean }> {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (r: Rep) => void; reject: (e: Error) => void }>();
  #next = 1;

  constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (m: Rep) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m);
      else p.reject(new Error((m as unknown as { error: string }).error));
    });
    child.on('exit', (code) => {
      for (const p of this.#pending.values()) p.reject(new Error(`helper process exited (${code})`));
      this.#pending.clear();
    });
  }

  call<R extends Rep>(req: OmitEach<Req, 'id'>): Promise<R> {
    const id = this.#next++;
    return new Promise<R>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: Rep) => void, reject });
      this.#child.send({ ...req, id });
    });
  }

  get child(): ChildProcess {
    return this.#child;
  }

  /** Ends the child: a polite disconnect first, SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    if (child.connected) child.disconnect();
    const t = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(t);
  }
}
