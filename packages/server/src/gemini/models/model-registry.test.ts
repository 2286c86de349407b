import { describe, expect, it } from 'vitest';
import { BUILT_IN_MODELS, createModelRegistry } from './model-registry.js';

describe('model registry', () => {
  const models = createModelRegistry();

  it('finds a model by id or by resource name', () => {
    expect(models.get('gemini-2.5-flash')?.name).toBe('models/gemini-2.5-flash');
    expect(models.get('models/veo-3.1-generate-preview')?.supportedGenerationMethods).toEqual(['predictLongRunning']);
    expect(models.get('gemini-9')).toBeUndefined();
    expect(models.list()).toHaveLength(BUILT_IN_MODELS.length);
  });

  it('refuses unknown models and unsupported methods with the Gemini API 404', () => {
    expect(() => models.require('gemini-9', 'batchGenerateContent')).toThrow(
      'models/gemini-9 is not found for API version v1beta, or is not supported for batchGenerateContent. ' +
        'Call ListModels to see the list of available models and their supported methods.',
    );
    const textAsVideo = (() => {
      try {
        models.require('gemini-2.5-flash', 'predictLongRunning', 'v1');
      } catch (e) {
        return e;
      }
    })() as { status: string; httpCode: number; message: string };
    expect(textAsVideo).toMatchObject({ status: 'NOT_FOUND', httpCode: 404 });
    expect(textAsVideo.message).toMatch(
      /^models\/gemini-2.5-flash is not found for API version v1, .*predictLongRunning/,
    );
    expect(() => models.require('veo-3.0-generate-001', 'interactions')).toThrow(/not supported for interactions/);
    expect(models.require('models/gemini-3-flash-preview', 'interactions').baseModelId).toBe('gemini-3-flash-preview');
  });

  it('adds configured models, replacing a built-in one of the same name', () => {
    const custom = createModelRegistry([
      { id: 'my-tuned', family: 'text' },
      { id: 'veo-9', family: 'video' },
      { id: 'gemini-2.5-flash', family: 'video' },
    ]);
    expect(custom.require('my-tuned', 'batchGenerateContent').displayName).toBe('my-tuned');
    expect(custom.require('veo-9', 'predictLongRunning').name).toBe('models/veo-9');
    expect(() => custom.require('gemini-2.5-flash', 'generateContent')).toThrow(/not supported for generateContent/);
    expect(custom.list()).toHaveLength(BUILT_IN_MODELS.length + 2);
  });
});
