import type { DirectLease } from '../../ports/direct-dispatch.js';
import type { Tx } from './pg-database.js';

/**
 * Direct dispatch on PostgreSQL (see DirectDispatch): which of an emit's destinations may take
 * their new delivery already leased to this process's engine, inside the emit's transaction.
 * A destination qualifies when this transaction gets its row without waiting (`SKIP LOCKED`: a
 * claim or another emit holding it keeps its turn, and the delivery is written pending), nothing
 * is pending there (nothing is overtaken) and its leases are below the cap. Holding the row until
 * commit keeps claims in other processes from counting past the cap meanwhile. A destination this
 * fills to its cap gets its full mark (ADR 0012). At most `lease.room` destinations are chosen;
 * `lease.room` counts down.
 *
 * `batch` holds what earlier events of the same transaction will write (they are inserted together
 * afterwards, `writeEmits`), and is updated with this event's choice: a destination one of them
 * left a pending delivery at is not leased (nothing overtakes it), and their leases count
 * towards the cap.
 */
export async function chooseDirect(
  tx: Tx,
  projectId: string,
  destIds: readonly string[],
  lease: DirectLease,
  batch: BatchDestinations,
): Promise<Set<string>> {
  const chosen = new Set<string>();
  const settle = () => {
    for (const id of destIds)
      if (chosen.has(id)) batch.leased.set(id, (batch.leased.get(id) ?? 0) + 1);
      else batch.pending.add(id);
    return chosen;
  };
  if (lease.room <= 0 || destIds.length === 0) return settle();
  const ids = [...new Set(destIds)].sort();
  // A destination seen for the first time gets its row now (ours, locked by this transaction).
  await tx.run(
    `INSERT INTO destinations (id, project_id, in_flight, next_due_at)
     SELECT id, $2, 0, NULL FROM unnest($1::text[]) AS u(id)
     WHERE NOT EXISTS (SELECT 1 FROM destinations x WHERE x.id = u.id) -- an existing row: no wait
     ORDER BY id ON CONFLICT (id) DO NOTHING`,
    [ids, projectId],
  );
  const rows = await tx.rows<{ id: string; leases: number }>(
    `WITH mine AS (
       SELECT id FROM destinations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE SKIP LOCKED
     )
     SELECT m.id, coalesce(c.leases, 0) AS leases
     FROM mine m LEFT JOIN herald_destination_leases((SELECT array_agg(id) FROM mine)) c ON c.destination_id = m.id
     WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE destination_id = m.id AND status = 'pending')`,
    [ids],
  );
  const full: { id: string; n: number }[] = [];
  for (const r of rows) {
    if (lease.room <= 0) break;
    if (batch.pending.has(r.id)) continue;
    const leases = r.leases + (batch.leased.get(r.id) ?? 0);
    if (leases >= lease.maxPerDestination) continue;
    chosen.add(r.id);
    lease.room--;
    if (leases + 1 >= lease.maxPerDestination) full.push({ id: r.id, n: leases + 1 });
  }
  if (full.length > 0) {
    await tx.run(
      `UPDATE destinations x SET in_flight = u.n FROM unnest($1::text[], $2::int[]) AS u(id, n) WHERE x.id = u.id`,
      [full.map((f) => f.id), full.map((f) => f.n)],
    );
  }
  return settle();
}

/** Per destination, what earlier events of one transaction's batch leased or left pending there. */
export interface BatchDestinations {
  leased: Map<string, number>;
  pending: Set<string>;
}

export function newBatchDestinations(): BatchDestinations {
  return { leased: new Map(), pending: new Set() };
}
