import { close, fsync, open } from 'node:fs';
import { promisify } from 'node:util';

export interface WalSyncFs {
  open(path: string, flags: string): Promise<number>;
  fsync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
}

const nodeFs: WalSyncFs = {
  open: promisify(open),
  fsync: promisify(fsync),
  close: promisify(close),
};

/**
 * Makes SQLite commits durable without blocking the event loop. Commits run at
 * `synchronous=NORMAL` (WAL frames reach the OS, no fsync), then `sync()` fsyncs the WAL file on
 * libuv's thread pool: once it resolves, every frame written before the call is on disk, which is
 * the guarantee `synchronous=FULL` gives, without holding the event loop for the fsync (about
 * 1 ms per commit on a virtual disk). Calls that arrive while an fsync runs share the next one, so
 * at most one runs and one waits: a group commit of group commits.
 */
export class WalSync {
  readonly #path: string;
  readonly #fs: WalSyncFs;
  #fd: Promise<number> | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #closed = false;
  /** fsyncs started (for tests and metrics). */
  syncs = 0;

  /** `walPath` is the database file's name with `-wal` appended; it exists once WAL mode is on. */
  constructor(walPath: string, fs: WalSyncFs = nodeFs) {
    this.#path = walPath;
    this.#fs = fs;
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  sync(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    if (this.#running === undefined) return this.#start();
    // The running fsync may have started before our frames were written: wait for the next.
    this.#queued ??= this.#running.then(
      () => this.#next(),
      () => this.#next(),
    );
    return this.#queued;
  }

  #next(): Promise<void> {
    this.#queued = undefined;
    return this.#start();
  }

  #start(): Promise<void> {
    this.syncs++;
    const run = (async () => {
      let fd = this.#fd;
      if (fd === undefined) {
        const opening = this.#fs.open(this.#path, 'r+');
        fd = this.#fd = opening;
        // A failed open is retried by the next sync instead of failing every later one.
        opening.catch(() => {
          if (this.#fd === opening) this.#fd = undefined;
        });
      }
      await this.#fs.fsync(await fd);
    })();
    this.#running = run;
    const clear = () => {
      if (this.#running === run) this.#running = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /** Waits for the fsyncs under way, then closes the file descriptor. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([this.#running, this.#queued]);
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) await this.#fs.close(await fd).catch(() => undefined);
  }
}
