import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { isDatabaseUnavailable } from './database-unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['57P01 admin shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash shutdown', withCode('57P02')],
    ['57P03 cannot connect now', withCode('57P03', 'the database system is starting up')],
    ['08006 connection failure', withCode('08006')],
    ['08001 cannot establish', withCode('08001')],
    ['53300 too many connections', withCode('53300')],
    ['ECONNREFUSED from the pool', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['a connection cut under a query', new Error('Connection terminated unexpectedly')],
    ['a dead client checked out', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['SQLite locked past its busy timeout', withCode('SQLITE_BUSY', 'database is locked')],
    ['SQLITE_BUSY_SNAPSHOT', withCode('SQLITE_BUSY_SNAPSHOT')],
    ['a connect to several addresses', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
    ['wrapped as a cause', new Error('unit of work failed', { cause: withCode('57P01') })],
  ])('yes: %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['an undefined table', withCode('42P01')],
    ['a statement timeout (the query, not the server)', withCode('57014')],
    ['SQLITE_CONSTRAINT', withCode('SQLITE_CONSTRAINT')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['an API error', new ApiError('INVALID_ARGUMENT', 'bad')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('no: %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('does not loop on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
