import { Type, type Static } from 'typebox';

/** `{}`: the answer of deletes, cancels that return nothing, and acknowledgements. */
export const Empty = Type.Object({}, { $id: 'Empty' });
export type Empty = Static<typeof Empty>;
