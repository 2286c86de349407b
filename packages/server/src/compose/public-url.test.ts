import { describe, expect, it } from 'vitest';
import { PublicUrl } from './public-url.js';

describe('PublicUrl', () => {
  it('keeps a configured URL when Herald listens', () => {
    const url = new PublicUrl('https://hooks.example.test', { configured: true });
    url.adoptListeningUrl('http://127.0.0.1:8080');
    expect(url.get()).toBe('https://hooks.example.test');
  });

  it('adopts the listening URL when none was configured', () => {
    const url = new PublicUrl('http://127.0.0.1:8080', { configured: false });
    url.adoptListeningUrl('http://127.0.0.1:41234');
    expect(url.get()).toBe('http://127.0.0.1:41234');
  });

  it('treats a configured URL on port 0 as a placeholder', () => {
    const url = new PublicUrl('http://127.0.0.1:0', { configured: true });
    url.adoptListeningUrl('http://127.0.0.1:41234');
    expect(url.get()).toBe('http://127.0.0.1:41234');
  });
});
