import type { EpochMs } from '../model/records.js';

/** What happened to a portal link presented once. */
export type PortalLinkUse =
  | { kind: 'ok'; projectId: string }
  | { kind: 'expired'; projectId: string }
  | { kind: 'used'; projectId: string }
  | { kind: 'unknown' };

/** One-time magic links into a project's consumer portal, stored by SHA-256. */
export interface PortalLinkRepo {
  addPortalLink(link: { hash: string; projectId: string; createdAt: EpochMs; expireAt: EpochMs }): Promise<void>;
  /**
   * Marks the link used at `now` if it is unused and unexpired (atomically: two browsers opening
   * one link get one `ok`), and says what it was.
   */
  usePortalLink(hash: string, now: EpochMs): Promise<PortalLinkUse>;
}
