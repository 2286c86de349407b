import type { File } from '@herald/contracts';
import type { FileRecord } from '../model/operation-records.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The id in `files/{id}`. */
export const fileId = (name: string) => name.slice('files/'.length);

/** Where a file's bytes are served: `GET {publicUrl}/v1beta/files/{id}:download?alt=media`. */
export const downloadUri = (publicUrl: string, name: string) => `${publicUrl}/v1beta/${name}:download?alt=media`;

/** The Gemini Files API resource (camelCase, int64 as a string, sha256 in base64). */
export function presentFile(f: FileRecord, publicUrl: string): File {
  return {
    name: f.name,
    displayName: f.displayName,
    mimeType: f.mimeType,
    sizeBytes: String(f.sizeBytes),
    createTime: iso(f.createdAt),
    updateTime: iso(f.createdAt),
    ...(f.expireAt !== null ? { expirationTime: iso(f.expireAt) } : {}),
    sha256Hash: Buffer.from(f.sha256, 'hex').toString('base64'),
    uri: `${publicUrl}/v1beta/${f.name}`,
    downloadUri: downloadUri(publicUrl, f.name),
    state: 'ACTIVE',
    // FileSource: what a user uploaded is UPLOADED; what an operation produced is GENERATED.
    source: f.operation === null ? 'UPLOADED' : 'GENERATED',
  };
}
