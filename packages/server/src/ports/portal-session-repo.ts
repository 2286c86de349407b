import type { EpochMs } from '../model/records.js';

/** A consumer-portal session as stored: the SHA-256 of its secret, its project and its lifetime. */
export interface PortalSessionRecord {
  hash: string;
  projectId: string;
  createdAt: EpochMs;
  expireAt: EpochMs;
}

/**
 * Consumer-portal sessions (issue #13): opened by a one-time portal link, carried in the URL path
 * (they must work in a cross-site iframe, where cookies are blocked), stored by SHA-256.
 */
export interface PortalSessionRepo {
  /** Stores a new session (and drops sessions that expired by `createdAt`). */
  addPortalSession(session: PortalSessionRecord): Promise<void>;
  /** The session with this hash, if it has not expired at `now`. */
  getPortalSession(hash: string, now: EpochMs): Promise<PortalSessionRecord | undefined>;
  /** Moves an unexpired session's expiry to `expireAt` (a sliding window). */
  extendPortalSession(hash: string, expireAt: EpochMs): Promise<void>;
}
