/**
 * The SDK's typed catalog (no runtime dependency on @herald/contracts, so it is a copy) must list
 * exactly the event types Herald's contract defines, at run time and at the type level.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { GEMINI_EVENT_TYPES, HERALD_EVENT_TYPES, type CatalogEventType } from '@herald/contracts';
import { KNOWN_EVENT_TYPES, type KnownEventType } from '@herald/webhooks';

describe('typed event catalog', () => {
  it('lists exactly the types of the @herald/contracts catalog', () => {
    expect([...KNOWN_EVENT_TYPES].sort()).toEqual([...GEMINI_EVENT_TYPES, ...HERALD_EVENT_TYPES].sort());
    expectTypeOf<KnownEventType>().toEqualTypeOf<CatalogEventType>();
  });
});
