import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../api-error.js';
import { presentFile } from '../present-file.js';
import { contentDisposition } from '../content-disposition.js';
import type { Store } from '../../ports/store.js';

export interface FileRoutesOptions {
  store: Store;
  publicUrl: () => string;
}

const Id = Type.Object({ id: Type.String() });
const Query = Type.Object({ alt: Type.Optional(Type.String()), key: Type.Optional(Type.String()) });

/** The Gemini Files API, read side: metadata and bytes of files operations produced. */
export const fileRoutes: FastifyPluginAsyncTypebox<FileRoutesOptions> = async (app, { store, publicUrl }) => {
  const tags = ['files'];
  const missing = (name: string) => notFound(`file "${name.slice(0, 200)}" not found in this project`);

  app.get(
    '/files/:id(^[^:/]+)',
    { schema: { tags, summary: 'Get file metadata', params: Id, querystring: Query } },
    async (req) => {
      const name = `files/${req.params.id}`;
      const f = await store.getFile(req.projectId, name);
      if (!f) throw missing(name);
      return presentFile(f, publicUrl());
    },
  );

  app.get(
    '/files/:id(^[^:/]+)::download',
    { schema: { tags, summary: 'Download file bytes (?alt=media)', params: Id, querystring: Query } },
    async (req, reply) => {
      const name = `files/${req.params.id}`;
      const f = await store.getFile(req.projectId, name);
      const bytes = f ? await store.getFileContent(req.projectId, name) : undefined;
      if (!f || !bytes) throw missing(name);
      return reply
        .header('content-type', f.mimeType)
        .header('content-length', String(bytes.byteLength))
        .header('content-disposition', contentDisposition(f.displayName))
        .send(Buffer.from(bytes));
    },
  );
};
