import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { File } from '@herald/contracts';
import { presentFile } from '../present-file.js';
import type { FileService } from '../../services/file-service.js';

export interface FileRoutesOptions {
  files: FileService;
  publicUrl: () => string;
}

const Id = Type.Object({ id: Type.String() });
const Query = Type.Object({ alt: Type.Optional(Type.String()), key: Type.Optional(Type.String()) });

/** The Gemini Files API, read side: metadata and bytes of files operations produced. */
export const fileRoutes: FastifyPluginAsyncTypebox<FileRoutesOptions> = async (app, { files, publicUrl }) => {
  const tags = ['files'];

  app.get(
    '/files/:id(^[^:/]+)',
    { schema: { tags, summary: 'Get file metadata', params: Id, querystring: Query, response: { 200: File } } },
    async (req) => {
      const name = `files/${req.params.id}`;
      return presentFile(await files.get(req.projectId, name), publicUrl());
    },
  );

  app.get(
    '/files/:id(^[^:/]+)::download',
    {
      schema: {
        tags,
        summary: 'Download file bytes (?alt=media)',
        params: Id,
        querystring: Query,
        response: {
          200: {
            description:
              "The file's bytes, with its mimeType as Content-Type and its displayName as the attachment name",
            content: { '*/*': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
          },
        },
      },
    },
    async (req, reply) => {
      const name = `files/${req.params.id}`;
      const { file: f, content: bytes } = await files.download(req.projectId, name);
      return reply
        .header('content-type', f.mimeType)
        .header('content-length', String(bytes.byteLength))
        .header('content-disposition', `attachment; filename="${f.displayName.replace(/["\\\r\n]/g, '_')}"`)
        .send(Buffer.from(bytes));
    },
  );
};
