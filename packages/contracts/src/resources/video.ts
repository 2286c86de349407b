import { Type, type Static } from 'typebox';
import { OperationError } from './operation.js';

/**
 * A video generation (`POST /v1beta/models/{model}:predictLongRunning`, then
 * `GET /v1beta/models/{model}/operations/{id}`): a google.longrunning.Operation. Only `name`
 * while running; then `done: true` with `response.generateVideoResponse`, or an `error`
 * (cancelled → code 1, expired → code 4).
 */
export const VideoOperation = Type.Object(
  {
    name: Type.String({ description: 'models/{model}/operations/{id}' }),
    done: Type.Optional(Type.Boolean()),
    response: Type.Optional(
      Type.Object({
        '@type': Type.String(),
        generateVideoResponse: Type.Object({
          generatedSamples: Type.Array(
            Type.Object({ video: Type.Object({ uri: Type.String({ description: 'Download URI of the file' }) }) }),
          ),
          raiMediaFilteredCount: Type.Optional(Type.Integer()),
          raiMediaFilteredReasons: Type.Optional(Type.Array(Type.String())),
        }),
      }),
    ),
    error: Type.Optional(OperationError),
  },
  { $id: 'VideoOperation' },
);
export type VideoOperation = Static<typeof VideoOperation>;
