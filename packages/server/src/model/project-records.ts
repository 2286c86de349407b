import type { EpochMs } from './records.js';

/** A change to a project's record: fields present are set; `null` clears an optional one. */
export interface ProjectPatch {
  name?: string;
  branding?: { logoUri?: string | null; accentColor?: string | null };
  limits?: { eventsPerSecond?: number | null; maxWebhooks?: number | null };
}

/** A page of projects, oldest first (`after`: the last project of the previous page). */
export interface ProjectQuery {
  pageSize: number;
  after?: { createdAt: EpochMs; id: string } | undefined;
  /** Case-insensitive substring of the name. */
  nameContains?: string | undefined;
}
