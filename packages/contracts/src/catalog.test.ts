import { describe, expect, it } from 'vitest';
import { describeAcceptedEventTypes, isAcceptedEventType, isCatalogEventType } from './catalog.js';

describe('event catalog', () => {
  it.each([
    'batch.succeeded',
    'batch.cancelled',
    'interaction.requires_action',
    'video.generated',
    'operation.progress',
    'webhook.ping',
  ])('accepts catalog type %s', (t) => {
    expect(isCatalogEventType(t)).toBe(true);
    expect(isAcceptedEventType(t)).toBe(true);
  });

  it.each(['invoice.ready', 'render.frame_done', 'a.b.c'])('accepts custom dotted type %s', (t) => {
    expect(isCatalogEventType(t)).toBe(false);
    expect(isAcceptedEventType(t)).toBe(true);
  });

  it.each([
    'batch.succeded',
    'video.failed',
    'nodot',
    'Invoice.Ready',
    'a..b',
    '.a',
    'a.',
    'a b.c',
    'x'.repeat(130) + '.y',
  ])('rejects %s', (t) => {
    expect(isAcceptedEventType(t)).toBe(false);
  });

  it('describes what is allowed', () => {
    expect(describeAcceptedEventTypes()).toContain('batch.succeeded');
    expect(describeAcceptedEventTypes()).toContain('custom dotted type');
  });
});
