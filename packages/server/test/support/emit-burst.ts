/**
 * A child process for the event-order test: opens the PostgreSQL store on argv[2] and emits
 * argv[3] events into project p1, tagged argv[4], 16 at a time, every fifth one as a batch of 5
 * (so some transactions append several events). Prints "done <count>" and exits.
 */
import { buildEvent } from '../../src/model/build-event.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';

const [url, countText, tag] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const store = await openPostgresStore(url, { poolSize: 8 });
const ev = (i: number) =>
  buildEvent({
    projectId: 'p1',
    type: 'order.test',
    data: { tag, i },
    now: Date.now(),
    target: { kind: 'subscribers' },
    timeScale: 1,
  });
let next = 0;
let emitted = 0;
async function lane(): Promise<void> {
  while (next < count) {
    const i = next;
    if (i % 25 === 20 && i + 5 <= count) {
      next += 5;
      await store.emitEvents([ev(i), ev(i + 1), ev(i + 2), ev(i + 3), ev(i + 4)]);
      emitted += 5;
    } else {
      next += 1;
      await store.emitEvent(ev(i));
      emitted += 1;
    }
  }
}
await Promise.all(Array.from({ length: 16 }, lane));
await store.close();
process.stdout.write(`done ${emitted}\n`);
