/**
 * The one place Herald decides its public URL (JWT `iss`, file URIs, OpenAPI `servers`): the
 * configured one (`HERALD_PUBLIC_URL` or `config.publicUrl`) when there is one, otherwise the URL
 * Herald listens on, adopted at `listen()`. A configured URL on port 0 (what `HERALD_PORT=0`
 * derives) is a placeholder and gives way to the listening URL too.
 *
 * @example
 * const url = new PublicUrl('http://127.0.0.1:0', { configured: false });
 * url.adoptListeningUrl('http://127.0.0.1:53211');
 * url.get();   // 'http://127.0.0.1:53211'
 */
export class PublicUrl {
  #url: string;
  readonly #fixed: boolean;

  constructor(initial: string, opts: { configured: boolean }) {
    this.#url = initial;
    this.#fixed = opts.configured && !/:0$/.test(initial);
  }

  /** The public URL as of now (bound, so it can be handed around as a function). */
  readonly get = (): string => this.#url;

  /** Called once Herald listens: the listening URL becomes the public URL unless one was configured. */
  adoptListeningUrl(url: string): void {
    if (!this.#fixed) this.#url = url;
  }
}
