import { Type, type Static } from 'typebox';

/** A Gemini Files API resource (`/v1beta/files/{id}`): camelCase, int64 as a string. */
export const File = Type.Object(
  {
    name: Type.String({ description: 'files/{id}' }),
    displayName: Type.String(),
    mimeType: Type.String(),
    sizeBytes: Type.String({ description: 'int64 as a string' }),
    createTime: Type.String({ format: 'date-time' }),
    updateTime: Type.String({ format: 'date-time' }),
    expirationTime: Type.Optional(Type.String({ format: 'date-time' })),
    sha256Hash: Type.String({ description: 'SHA-256 of the bytes, base64' }),
    uri: Type.String(),
    downloadUri: Type.String({ description: 'GET it (with the API key) for the bytes' }),
    state: Type.String({ description: 'ACTIVE' }),
    source: Type.String({ description: 'GENERATED' }),
  },
  { $id: 'File' },
);
export type File = Static<typeof File>;

/**
 * Answer of `POST /upload/v1beta/files`: `{file}` once the bytes are in; `{}` for the steps of a
 * resumable upload before `finalize` (the `X-Goog-Upload-*` headers carry the protocol).
 */
export const UploadFileResponse = Type.Object({ file: Type.Optional(File) }, { $id: 'UploadFileResponse' });
export type UploadFileResponse = Static<typeof UploadFileResponse>;
