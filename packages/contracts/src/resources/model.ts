import { Type, type Static } from 'typebox';

/** A Gemini Models API resource (`/v1beta/models/{model}`), as `ai.models.get()` reads it. */
export const Model = Type.Object(
  {
    name: Type.String({ description: 'models/{model}' }),
    baseModelId: Type.String(),
    version: Type.String(),
    displayName: Type.String(),
    description: Type.String(),
    inputTokenLimit: Type.Integer(),
    outputTokenLimit: Type.Integer(),
    supportedGenerationMethods: Type.Array(Type.String(), {
      description: 'generateContent, countTokens, batchGenerateContent, predictLongRunning',
    }),
  },
  { $id: 'Model' },
);
export type Model = Static<typeof Model>;

/** `GET /v1beta/models`: a page of models, as `ai.models.list()` pages them. */
export const ModelList = Type.Object(
  { models: Type.Array(Model), nextPageToken: Type.Optional(Type.String()) },
  { $id: 'ModelList' },
);
export type ModelList = Static<typeof ModelList>;
