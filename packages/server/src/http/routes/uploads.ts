import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { UploadFileResponse } from '@herald/contracts';
import { BASE36_LOWER, randomString } from '../../kernel/random-id.js';
import type { Clock } from '../../kernel/clock.js';
import { ApiError, invalidArgument, notFound } from '../api-error.js';
import { newFile } from '../../model/new-file.js';
import { presentFile } from '../present-file.js';
import { UploadLimitError, UploadSessions } from '../../services/upload-sessions.js';
import type { FileService } from '../../services/file-service.js';
import { apiKeyAuth } from '../auth.js';
import type { ApiKeyService } from '../../services/api-key-service.js';
import { checkJsonInput } from '../json-input-guard.js';

export interface UploadRoutesOptions {
  files: Pick<FileService, 'create'>;
  apiKeys: Pick<ApiKeyService, 'authenticate'>;
  clock: Clock;
  publicUrl: () => string;
  timeScale: number;
  /** Largest file accepted (default 16 MiB). */
  maxUploadBytes?: number;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/**
 * `POST /upload/{v1beta,v1}/files`: the Files API upload. The resumable protocol as
 * `@google/genai` speaks it (`X-Goog-Upload-Command: start` → `X-Goog-Upload-URL`, then
 * `upload, finalize` with the bytes), and a one-shot variant for curl: no protocol header (or
 * `X-Goog-Upload-Protocol: raw`), the body is the file. Answers `{"file": File}`.
 */
export const uploadRoutes: FastifyPluginAsync<UploadRoutesOptions> = async (app, opts) => {
  const { files, clock, publicUrl, timeScale } = opts;
  const max = opts.maxUploadBytes ?? 16 * 1024 * 1024;
  const sessions = new UploadSessions();
  const startSession = (...args: Parameters<UploadSessions['start']>) => {
    try {
      return sessions.start(...args);
    } catch (err) {
      if (err instanceof UploadLimitError) throw new ApiError('RESOURCE_EXHAUSTED', err.message);
      throw err;
    }
  };
  app.addHook('onRequest', apiKeyAuth(opts.apiKeys));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: max }, (_req, body, done) => done(null, body));

  async function save(projectId: string, displayName: string, mimeType: string, content: Buffer) {
    if (content.byteLength === 0) throw invalidArgument('the file is empty: send its bytes in the request body');
    const f = newFile({
      name: `files/${randomString(BASE36_LOWER, 12)}`,
      projectId,
      displayName: displayName.slice(0, 512),
      mimeType,
      content: new Uint8Array(content),
      operation: null,
      now: clock.now(),
      timeScale,
    });
    await files.create(f.file, f.content);
    return { file: presentFile(f.file, publicUrl()) };
  }

  const handler = (version: string) =>
    async function upload(req: FastifyRequest, reply: FastifyReply) {
      const q = req.query as Record<string, string | undefined>;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const protocol = header(req, 'x-goog-upload-protocol')?.toLowerCase();
      const commands = (header(req, 'x-goog-upload-command') ?? '')
        .toLowerCase()
        .split(',')
        .map((c) => c.trim());
      const now = clock.now();

      if (q.upload_id !== undefined) {
        const s = sessions.get(q.upload_id, req.projectId, now);
        if (!s) throw notFound('upload session not found or expired: start the upload again');
        const offset = Number(header(req, 'x-goog-upload-offset') ?? s.received);
        if (offset !== s.received)
          throw invalidArgument(`X-Goog-Upload-Offset is ${offset} but ${s.received} bytes were received so far`);
        if (s.received + body.byteLength > max) throw invalidArgument(`files are limited to ${max} bytes`);
        const refused = sessions.append(s, body);
        if (refused) throw new ApiError('RESOURCE_EXHAUSTED', refused, undefined, { retryAfterSeconds: 60 });
        if (!commands.includes('finalize')) return reply.header('x-goog-upload-status', 'active').send({});
        sessions.end(s.id);
        const saved = await save(req.projectId, s.displayName, s.mimeType, Buffer.concat(s.chunks));
        return reply.header('x-goog-upload-status', 'final').send(saved);
      }

      if (protocol === 'resumable') {
        if (!commands.includes('start'))
          throw invalidArgument('a resumable upload begins with X-Goog-Upload-Command: start');
        let meta: Record<string, unknown> = {};
        if (body.byteLength > 0) {
          try {
            const parsed = JSON.parse(body.toString('utf8')) as { file?: Record<string, unknown> };
            meta = parsed.file ?? {};
          } catch {
            throw invalidArgument('the start request body must be JSON: {"file": {"display_name": "..."}}');
          }
          checkJsonInput(meta);
        }
        const size = Number(header(req, 'x-goog-upload-header-content-length') ?? 0);
        if (size > max) throw invalidArgument(`files are limited to ${max} bytes, this one declares ${size}`);
        const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
        const s = startSession(
          {
            projectId: req.projectId,
            displayName:
              str(meta.displayName) ?? str(meta.display_name) ?? header(req, 'x-goog-upload-file-name') ?? 'upload',
            mimeType:
              header(req, 'x-goog-upload-header-content-type') ?? str(meta.mimeType) ?? 'application/octet-stream',
            size: size > 0 ? size : undefined,
          },
          now,
        );
        const url = `${publicUrl()}/upload/${version}/files?upload_id=${s.id}&upload_protocol=resumable`;
        return reply.header('x-goog-upload-url', url).header('x-goog-upload-status', 'active').send({});
      }

      if (protocol !== undefined && protocol !== 'raw')
        throw invalidArgument(`X-Goog-Upload-Protocol "${protocol}" is not supported; use resumable or raw`);
      const mime = header(req, 'content-type')?.split(';')[0] ?? 'application/octet-stream';
      const name = q.display_name ?? header(req, 'x-goog-upload-file-name') ?? 'upload';
      return reply.send(await save(req.projectId, name, mime, body));
    };

  for (const version of ['v1beta', 'v1']) {
    app.post(
      `/upload/${version}/files`,
      { schema: { tags: ['files'], summary: 'Upload a file', response: { 200: UploadFileResponse } } },
      handler(version),
    );
  }
};
