import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { transactions } from './transactions.js';

describe('transactions', () => {
  const setup = () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    const insert = (v: string | null) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
    const rows = () =>
      db
        .prepare<[], { v: string }>('SELECT v FROM t ORDER BY rowid')
        .all()
        .map((r) => r.v);
    return { db, insert, rows, tx: transactions(db) };
  };

  it('built once per database', () => {
    const { db, tx } = setup();
    expect(transactions(db)).toBe(tx);
    expect(transactions(openDatabase(':memory:'))).not.toBe(tx);
  });

  it('immediate commits what fn wrote and returns its result; a throw rolls all of it back', () => {
    const { db, insert, rows, tx } = setup();
    expect(
      tx.immediate(() => {
        expect(db.inTransaction).toBe(true);
        insert('a');
        return 7;
      }),
    ).toBe(7);
    expect(db.inTransaction).toBe(false);
    expect(() =>
      tx.immediate(() => {
        insert('b');
        insert(null);
      }),
    ).toThrow(/NOT NULL/);
    expect(rows()).toEqual(['a']);
  });

  it('nested in an open transaction, a failing unit rolls back alone', () => {
    const { insert, rows, tx } = setup();
    tx.immediate(() => {
      tx.nested(() => insert('a'));
      expect(() =>
        tx.nested(() => {
          insert('b');
          insert(null);
        }),
      ).toThrow(/NOT NULL/);
      tx.nested(() => insert('c'));
    });
    expect(rows()).toEqual(['a', 'c']);
  });
});
