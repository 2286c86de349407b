import type { SecretBox } from './secret-box.js';
import type { Clock } from '../kernel/clock.js';
import { failedPrecondition } from '../kernel/domain-errors.js';
import type { SigningKeyRecord } from '../model/signing-records.js';
import type { SigningKeyRepo } from '../ports/signing-key-repo.js';
import { newSigningKeyRecord, SIGNING_ALGORITHMS } from './ensure-signing-keys.js';
import { buildJwks, type Jwks } from './jwks.js';
import type { SigningAlgorithm } from '../model/signing-records.js';

/**
 * How long a retired key stays in the JWKS, in real minutes (never divided by HERALD_TIME_SCALE,
 * because receivers' windows are real time). After a rotation the retired key signs nothing new:
 * every attempt, including a retry of an old delivery, is signed afresh with the active key. What
 * it already signed stops verifying within 5 minutes (JWT `exp` = `iat` + 300 s; `v1a` receivers
 * reject a `webhook-timestamp` older than 300 s). Ten minutes is twice that window, which also
 * covers an attempt in flight at the rotation and a few minutes of receiver clock skew.
 */
export const RETIRED_KEY_PUBLISH_MS = 10 * 60_000;

/**
 * Most retired keys of one algorithm published at the same time. `v1a` signatures carry no
 * `kid`, so receivers try every Ed25519 key of the JWKS; the set is kept small.
 */
export const MAX_RETIRED_PUBLISHED = 4;

/** Lists, publishes and rotates the instance-wide dynamic-webhook signing keys. */
export class SigningKeyService {
  readonly #d: { store: SigningKeyRepo; secretBox: SecretBox; clock: Clock };

  constructor(deps: { store: SigningKeyRepo; secretBox: SecretBox; clock: Clock }) {
    this.#d = deps;
  }

  /** Keys in the JWKS now: active keys first, then retired ones until they expire. */
  async published(): Promise<SigningKeyRecord[]> {
    return this.#d.store.listPublishedSigningKeys(this.#d.clock.now());
  }

  /** The `/.well-known/jwks.json` document. */
  async jwks(): Promise<Jwks> {
    return buildJwks(await this.published());
  }

  /**
   * Creates a new active key for each algorithm in `algs` (default: all) and retires the current
   * one, which stays published for {@link RETIRED_KEY_PUBLISH_MS}. Returns the published keys.
   *
   * @throws FailedPrecondition when {@link MAX_RETIRED_PUBLISHED} retired keys of an
   *   algorithm are still published; the message says when the next rotation is possible.
   */
  async rotate(algs: readonly SigningAlgorithm[] = SIGNING_ALGORITHMS): Promise<SigningKeyRecord[]> {
    const { store, secretBox, clock } = this.#d;
    const now = clock.now();
    const published = await store.listPublishedSigningKeys(now);
    for (const alg of algs) {
      const retired = published.filter((k) => k.alg === alg && k.retiredAt !== null);
      if (retired.length >= MAX_RETIRED_PUBLISHED) {
        const next = Math.min(...retired.map((k) => k.expireAt ?? now));
        throw failedPrecondition(
          `${retired.length} retired ${alg} keys are still published (at most ${MAX_RETIRED_PUBLISHED}); ` +
            `rotate ${alg} again after ${new Date(next).toISOString()}`,
        );
      }
    }
    const fresh = await Promise.all(algs.map((alg) => newSigningKeyRecord(alg, secretBox, now)));
    for (const key of fresh) await store.rotateSigningKey(key, now + RETIRED_KEY_PUBLISH_MS);
    return store.listPublishedSigningKeys(now);
  }
}
