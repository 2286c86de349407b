/**
 * "Project `projectId` has committed events up to `sequence`": a wake-up for live readers of the
 * event log (the SSE stream). It carries no event data: readers fetch from the store after their
 * own cursor, so a lost or coalesced notice never loses an event. SQLite: in process, after the
 * commit. PostgreSQL: `NOTIFY herald_events, '{"projectId","sequence","type"}'` just after the commit
 * (a notice lost in a crash in between delays live readers until their next heartbeat read).
 */
export interface EventNotice {
  projectId: string;
  sequence: number;
}
