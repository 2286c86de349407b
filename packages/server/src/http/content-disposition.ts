/**
 * `Content-Disposition: attachment` for a file name of any script: an ASCII `filename=` fallback
 * (every non-ASCII character, quote, backslash and control character replaced by `_`) and the
 * exact name as RFC 5987 / RFC 6266 `filename*=UTF-8''…`. A raw non-Latin-1 name in a header
 * makes Node throw `ERR_INVALID_CHAR`.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
