import { describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition.js';

describe('contentDisposition', () => {
  it('keeps an ASCII name and adds the RFC 5987 form', () => {
    expect(contentDisposition('report.csv')).toBe(`attachment; filename="report.csv"; filename*=UTF-8''report.csv`);
  });
  it('encodes any script, and never puts a raw non-ASCII, quote or control character in the header', () => {
    const cd = contentDisposition('日本語 "a"\r\n(1)\'.txt');
    expect(cd).toBe(
      `attachment; filename="___ _a___(1)'.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E%20%22a%22%0D%0A%281%29%27.txt`,
    );
    expect(cd).toMatch(/^[\x20-\x7e]+$/);
  });
});
