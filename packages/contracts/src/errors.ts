import { Type, type Static } from 'typebox';

/** Canonical Google API status names used in error bodies. */
export const ERROR_STATUSES = [
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'OUT_OF_RANGE',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'ABORTED',
  'RESOURCE_EXHAUSTED',
  'CANCELLED',
  'INTERNAL',
  'UNAVAILABLE',
  'UNIMPLEMENTED',
  'DEADLINE_EXCEEDED',
] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

/** Google-style error body: `{"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}`. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Integer({ description: 'HTTP status code' }),
      message: Type.String({ description: 'What went wrong and what to change' }),
      status: Type.String({ description: 'Canonical status name, e.g. INVALID_ARGUMENT' }),
      details: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;
