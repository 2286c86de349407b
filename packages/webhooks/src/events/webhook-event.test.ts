import { describe, expect, expectTypeOf, it } from 'vitest';
import { isEventType, isWebhookEvent, type AnyWebhookEvent, type EventOf, type WebhookEvent } from './webhook-event.js';
import { KNOWN_EVENT_TYPES, type KnownEventType } from './event-catalog.js';

describe('typed events', () => {
  it('the runtime list matches the type-level catalog', () => {
    expectTypeOf<(typeof KNOWN_EVENT_TYPES)[number]>().toEqualTypeOf<KnownEventType>();
    expect(new Set(KNOWN_EVENT_TYPES).size).toBe(15);
  });

  it('checking type narrows data', () => {
    const describeEvent = (event: WebhookEvent): string => {
      if (event.type === 'video.generated') {
        expectTypeOf(event.data.video_uri).toEqualTypeOf<string>();
        return event.data.file_name;
      }
      if (event.type === 'operation.progress') {
        expectTypeOf(event.data.progress.percent).toEqualTypeOf<number | undefined>();
        return event.data.kind;
      }
      return event.data.id;
    };
    const event: WebhookEvent = {
      type: 'video.generated',
      version: 'v1',
      timestamp: '2026-05-04T12:00:00Z',
      data: { id: 'models/veo/operations/1', output_file_uri: 'u', video_uri: 'u', file_name: 'files/abc' },
    };
    expect(describeEvent(event)).toBe('files/abc');
  });

  it('isEventType narrows an AnyWebhookEvent (custom types allowed)', () => {
    const event: AnyWebhookEvent = {
      type: 'batch.failed',
      version: 'v1',
      timestamp: 't',
      data: { id: 'b', error_code: 13, error_message: 'Internal error', user_metadata: { job: 'x' } },
    };
    if (isEventType(event, 'batch.failed')) {
      expectTypeOf(event).toEqualTypeOf<EventOf<'batch.failed'>>();
      expect(event.data.error_message).toBe('Internal error');
    } else {
      expect.unreachable();
    }
    const custom: AnyWebhookEvent = { type: 'acme.thing.done', version: 'v1', timestamp: 't', data: { anything: 1 } };
    expect(isEventType(custom, 'batch.failed')).toBe(false);
  });

  it('isWebhookEvent checks the envelope shape', () => {
    expect(isWebhookEvent({ type: 'batch.succeeded', version: 'v1', timestamp: 't', data: { id: 'b' } })).toBe(true);
    expect(isWebhookEvent({ type: 'acme.custom_thing.v2', data: {} })).toBe(true);
    for (const bad of [
      null,
      'x',
      [],
      { type: 'nodots', data: {} },
      { type: 'a.b' },
      { type: 'a.b', data: [] },
      { type: 'a.b', data: {}, version: 1 },
    ]) {
      expect(isWebhookEvent(bad)).toBe(false);
    }
  });
});
