/**
 * Parses a captured HTTP request — an optional request line, header lines, an empty line, then the
 * body, as printed by `nc -l`, a proxy, or `curl -v` (`> ` prefixes) — keeping the body's exact
 * bytes, since signatures cover bytes.
 * @module
 */

/** The capture is not a request this parser can read. */
export class CaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureError';
  }
}

export interface CapturedRequest {
  /** `POST`, when the capture starts with a request line. */
  method: string | undefined;
  /** The request target (`/webhooks`), when the capture starts with a request line. */
  target: string | undefined;
  /** Header values by lower-case name, in order. */
  headers: Record<string, string[]>;
  /** The body bytes (de-chunked, cut to Content-Length). */
  body: Uint8Array;
  /** Adjustments made while reading, for the user. */
  notes: string[];
  /** No Content-Length, and the body ends with a line break the capture may have added. */
  maybeAddedNewline: boolean;
}

const REQUEST_LINE = /^([A-Z]+)\s+(\S+)\s+HTTP\/\d(?:\.\d)?$/;
const STATUS_LINE = /^HTTP\/\d(?:\.\d)?\s+\d{3}/;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;

function indexOfBytes(haystack: Uint8Array, needle: readonly number[], from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Finds the end of the header block: the first empty line (CRLF CRLF or LF LF). */
function splitHead(bytes: Uint8Array): { head: string; body: Uint8Array } | undefined {
  const crlf = indexOfBytes(bytes, [13, 10, 13, 10]);
  const lf = indexOfBytes(bytes, [10, 10]);
  const mixed = indexOfBytes(bytes, [10, 13, 10]);
  const candidates = [
    { at: crlf, len: 4 },
    { at: lf, len: 2 },
    { at: mixed, len: 3 },
  ].filter((c) => c.at >= 0);
  if (candidates.length === 0) return undefined;
  const first = candidates.reduce((a, b) => (b.at < a.at ? b : a));
  return {
    head: Buffer.from(bytes.subarray(0, first.at)).toString('latin1'),
    body: bytes.subarray(first.at + first.len),
  };
}

function dechunk(body: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (;;) {
    const eol = indexOfBytes(body, [13, 10], pos);
    if (eol < 0) throw new CaptureError('chunked body is cut short: a chunk size line has no CRLF');
    const sizeText = Buffer.from(body.subarray(pos, eol)).toString('latin1').split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new CaptureError(`chunked body has a bad chunk size "${sizeText}"`);
    const size = parseInt(sizeText, 16);
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size > body.length) throw new CaptureError('chunked body is cut short: a chunk is incomplete');
    parts.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
  return Buffer.concat(parts);
}

/** Parses a capture. Throws {@link CaptureError} when it has no header block. */
export function parseCapture(input: Uint8Array): CapturedRequest {
  let bytes = input;
  // Tolerate blank lines before the request.
  let skip = 0;
  while (skip < bytes.length && (bytes[skip] === 10 || bytes[skip] === 13)) skip++;
  bytes = bytes.subarray(skip);
  const split = splitHead(bytes);
  if (!split) {
    throw new CaptureError(
      'no empty line between the headers and the body: save the request as header lines, an empty line, then the body',
    );
  }
  const notes: string[] = [];
  let lines = split.head.split(/\r?\n/);
  if (lines.every((l) => l.startsWith('> ') || l === '>')) {
    lines = lines.map((l) => l.slice(2));
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    notes.push('read `curl -v` request lines (`> ` prefixes)');
  }
  let method: string | undefined;
  let target: string | undefined;
  const first = lines[0] ?? '';
  const request = REQUEST_LINE.exec(first);
  if (request) {
    method = request[1];
    target = request[2];
    lines = lines.slice(1);
  } else if (STATUS_LINE.test(first)) {
    notes.push('the capture starts with a response status line; reading its headers anyway');
    lines = lines.slice(1);
  }
  const headers: Record<string, string[]> = {};
  let last: string[] | undefined;
  lines.forEach((line, i) => {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[last.length - 1] = `${last[last.length - 1]!} ${line.trim()}`;
      return;
    }
    const m = HEADER.exec(line);
    if (!m) {
      throw new CaptureError(
        `line ${i + 1 + (request ? 1 : 0)} of the capture is not a header ("Name: value"): "${line.slice(0, 60)}"`,
      );
    }
    const name = m[1]!.toLowerCase();
    last = headers[name] ??= [];
    last.push(m[2]!);
  });

  let body: Uint8Array = split.body;
  const te = headers['transfer-encoding']?.join(',').toLowerCase() ?? '';
  if (te.includes('chunked')) {
    body = dechunk(body);
    notes.push('decoded the chunked body');
  }
  let maybeAddedNewline = false;
  const cl = headers['content-length']?.[0];
  if (cl !== undefined && !te.includes('chunked') && /^\d+$/.test(cl)) {
    const length = Number(cl);
    if (body.length > length) {
      const extra = body.subarray(length);
      const blank = extra.every((b) => b === 10 || b === 13 || b === 32 || b === 9);
      notes.push(
        blank
          ? `ignored ${extra.length} trailing line-break byte(s) after Content-Length ${length}`
          : `ignored ${extra.length} byte(s) after Content-Length ${length}`,
      );
      body = body.subarray(0, length);
    } else if (body.length < length) {
      notes.push(`the body has ${body.length} bytes but Content-Length says ${length}: the capture looks cut short`);
    }
  } else if (!te.includes('chunked')) {
    maybeAddedNewline = body.length > 0 && body[body.length - 1] === 10;
  }
  return { method, target, headers, body, notes, maybeAddedNewline };
}

/** The headers as a plain object for the verifiers (repeated headers as arrays). */
export function headerObject(capture: CapturedRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(capture.headers)) out[name] = values.length === 1 ? values[0]! : values;
  return out;
}
