import { ApiError } from '../../http/api-error.js';

/** A method a model supports, as `supportedGenerationMethods` names it. */
export type ModelMethod = 'generateContent' | 'countTokens' | 'batchGenerateContent' | 'predictLongRunning';

/** One model the simulator serves, in the shape of the Models API's `Model` resource. */
export interface ModelInfo {
  /** `models/gemini-2.5-flash`. */
  name: string;
  baseModelId: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: ModelMethod[];
}

const TEXT_METHODS: ModelMethod[] = ['generateContent', 'countTokens', 'batchGenerateContent'];
const VIDEO_METHODS: ModelMethod[] = ['predictLongRunning'];

const text = (id: string, displayName: string, version: string): ModelInfo => ({
  name: `models/${id}`,
  baseModelId: id,
  version,
  displayName,
  description: `${displayName}, simulated by Herald`,
  inputTokenLimit: 1_048_576,
  outputTokenLimit: 65_536,
  supportedGenerationMethods: TEXT_METHODS,
});

const video = (id: string, displayName: string, version: string): ModelInfo => ({
  name: `models/${id}`,
  baseModelId: id,
  version,
  displayName,
  description: `${displayName}, simulated by Herald`,
  inputTokenLimit: 1024,
  outputTokenLimit: 1,
  supportedGenerationMethods: VIDEO_METHODS,
});

/** The models the simulator knows out of the box (Gemini API model names as of 2026-12). */
export const BUILT_IN_MODELS: readonly ModelInfo[] = [
  text('gemini-2.5-flash', 'Gemini 2.5 Flash', '001'),
  text('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', '001'),
  text('gemini-2.5-pro', 'Gemini 2.5 Pro', '2.5'),
  text('gemini-3-flash-preview', 'Gemini 3 Flash Preview', '3.0'),
  text('gemini-3-pro-preview', 'Gemini 3 Pro Preview', '3.0'),
  text('gemini-3.5-flash-lite', 'Gemini 3.5 Flash-Lite', '3.5'),
  text('gemini-flash-latest', 'Gemini Flash Latest', 'latest'),
  text('gemini-flash-lite-latest', 'Gemini Flash-Lite Latest', 'latest'),
  video('veo-3.1-generate-preview', 'Veo 3.1', '3.1'),
  video('veo-3.1-fast-generate-preview', 'Veo 3.1 Fast', '3.1'),
  video('veo-3.1-lite-generate-preview', 'Veo 3.1 Lite', '3.1'),
  video('veo-3.0-generate-001', 'Veo 3', '3.0'),
  video('veo-3.0-fast-generate-001', 'Veo 3 Fast', '3.0'),
  video('veo-2.0-generate-001', 'Veo 2', '2.0'),
];

/** What a configured model supports: `text` (generateContent, batches, interactions) or `video`. */
export type ModelFamily = 'text' | 'video';

/** Which models exist and what each one supports; the simulated Models API answers from it. */
export interface ModelRegistry {
  /** Every model, in a stable order (built-in first, then configured). */
  list(): readonly ModelInfo[];
  /** The model named `model` or `models/<model>`, if it exists. */
  get(model: string): ModelInfo | undefined;
  /**
   * The model, if it exists and supports `method`; else `404 NOT_FOUND` in the Gemini API's words:
   * "models/x is not found for API version v1beta, or is not supported for predictLongRunning. …"
   */
  require(model: string, method: ModelMethod | 'interactions', apiVersion?: string): ModelInfo;
}

/** `models/x` → `x`. */
export const modelId = (model: string): string => (model.startsWith('models/') ? model.slice(7) : model);

/** The Gemini API's 404 for a model that does not exist or does not support the method. */
export function modelNotFound(model: string, method: string, apiVersion = 'v1beta'): ApiError {
  return new ApiError(
    'NOT_FOUND',
    `models/${modelId(model)} is not found for API version ${apiVersion}, or is not supported for ${method}. ` +
      'Call ListModels to see the list of available models and their supported methods.',
  );
}

/**
 * A registry of the built-in models plus `extra` ones (HERALD_SIM_MODELS): a configured name that
 * is also built in replaces it. Interactions accept every model that supports `generateContent`.
 *
 * @example
 * const models = createModelRegistry([{ id: 'my-tuned-model', family: 'text' }]);
 * models.require('veo-3.1-generate-preview', 'predictLongRunning');
 */
export function createModelRegistry(extra: readonly { id: string; family: ModelFamily }[] = []): ModelRegistry {
  const byId = new Map<string, ModelInfo>(BUILT_IN_MODELS.map((m) => [m.baseModelId, m]));
  for (const { id, family } of extra)
    byId.set(id, family === 'video' ? video(id, id, 'custom') : text(id, id, 'custom'));
  const all = [...byId.values()];
  return {
    list: () => all,
    get: (model) => byId.get(modelId(model)),
    require(model, method, apiVersion) {
      const found = byId.get(modelId(model));
      const wanted = method === 'interactions' ? 'generateContent' : method;
      if (!found || !found.supportedGenerationMethods.includes(wanted)) throw modelNotFound(model, method, apiVersion);
      return found;
    },
  };
}
