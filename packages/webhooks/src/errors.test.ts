import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from './errors.js';

describe('WebhookVerificationError', () => {
  it('has a stable code, the standardwebhooks name and default messages', () => {
    const error = new WebhookVerificationError('ERR_TIMESTAMP_TOO_OLD');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WebhookVerificationError');
    expect(error.code).toBe('ERR_TIMESTAMP_TOO_OLD');
    expect(error.message).toBe('Message timestamp too old');
    expect(new WebhookVerificationError('ERR_SIGNATURE_MISMATCH').message).toBe('No matching signature found');
  });

  it('carries cause and claim', () => {
    const cause = new Error('inner');
    const error = new WebhookVerificationError('ERR_JWT_CLAIM', 'bad aud', { cause, claim: 'aud' });
    expect(error.cause).toBe(cause);
    expect(error.claim).toBe('aud');
  });

  it('instanceof works across two copies of the package (Symbol.for brand)', () => {
    // A second copy of the package defines its own class with the same registered-symbol brand.
    class OtherCopyError extends Error {
      constructor() {
        super('x');
        Object.defineProperty(this, Symbol.for('herald.webhooks.error'), { value: true });
      }
    }
    expect(new OtherCopyError()).toBeInstanceOf(WebhookVerificationError);
    expect(new Error('plain')).not.toBeInstanceOf(WebhookVerificationError);
    expect((null as unknown) instanceof WebhookVerificationError).toBe(false);
  });
});
