import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Empty, File } from '@herald/contracts';
import { presentFile } from '../present-file.js';
import type { FileService } from '../../services/file-service.js';
import { decodePageToken, encodePageToken, GooglePageQuery, readGooglePage } from '../page-token.js';
import { contentDisposition } from '../content-disposition.js';

export interface FileRoutesOptions {
  files: FileService;
  publicUrl: () => string;
}

const Id = Type.Object({ id: Type.String() });
const Query = Type.Object({ alt: Type.Optional(Type.String()), key: Type.Optional(Type.String()) });

/**
 * The Gemini Files API: list (`{files, nextPageToken}`, newest first, `pageSize` 10 by default and
 * 100 at most, as Gemini pages), metadata, bytes, and delete, for uploads and operation outputs.
 */
export const fileRoutes: FastifyPluginAsyncTypebox<FileRoutesOptions> = async (app, { files, publicUrl }) => {
  const tags = ['files'];

  app.get(
    '/files',
    {
      schema: {
        tags,
        summary: 'List files, newest first',
        querystring: GooglePageQuery,
        response: { 200: Type.Object({ files: Type.Array(File), nextPageToken: Type.Optional(Type.String()) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const { pageSize, token } = readGooglePage(q, 10, 100);
      const before = token ? decodePageToken<{ c: number; n: string }>(token, ['c', 'n']) : undefined;
      const rows = await files.list(req.projectId, {
        limit: pageSize + 1,
        ...(before ? { before: { createdAt: before.c, name: before.n } } : {}),
      });
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      const base = publicUrl();
      return {
        files: page.map((f) => presentFile(f, base)),
        ...(rows.length > pageSize && last
          ? { nextPageToken: encodePageToken({ c: last.createdAt, n: last.name }) }
          : {}),
      };
    },
  );

  app.delete(
    '/files/:id(^[^:/]+)',
    {
      schema: {
        tags,
        summary: 'Delete a file and its bytes',
        params: Id,
        querystring: Query,
        response: { 200: Empty },
      },
    },
    async (req) => {
      const name = `files/${req.params.id}`;
      await files.delete(req.projectId, name);
      return {};
    },
  );

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
        .header('content-disposition', contentDisposition(f.displayName))
        .send(Buffer.from(bytes));
    },
  );
};
