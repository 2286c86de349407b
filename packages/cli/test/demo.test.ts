import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, buildServer, runCli } from './helpers/cli.js';

interface Step {
  step: number;
  kind: string;
  message: string;
  [key: string]: unknown;
}

beforeAll(buildServer, BUILD_TIMEOUT_MS);

describe('herald demo', () => {
  it('--json narrates the flow step by step: a failed delivery, then the retry that verifies and succeeds', async () => {
    const r = await runCli(['demo', '--json', '--time-scale', '50'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Step);
    expect(steps.map((s) => s.kind)).toEqual([
      'server',
      'receiver',
      'webhook',
      'batch',
      'batch_done',
      'attempt',
      'attempt',
      'delivered',
    ]);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const [first, second] = steps.filter((s) => s.kind === 'attempt');
    expect(first).toMatchObject({ attempt: 1, verified: true, status_code: 500, outcome: 'pending' });
    expect(second).toMatchObject({
      attempt: 2,
      verified: true,
      status_code: 200,
      outcome: 'succeeded',
      delivery_id: first!.delivery_id,
      webhook_message_id: first!.webhook_message_id,
    });
    expect(steps.at(-1)).toMatchObject({
      status: 'succeeded',
      delivery_id: first!.delivery_id,
      attempts: [
        { number: 1, status_code: 500 },
        { number: 2, status_code: 200 },
      ],
    });
    expect(steps[0]!.time_scale).toBe(50);
  });

  it('tells the story in plain lines', async () => {
    const r = await runCli(['demo', '--time-scale', '50'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^Herald demo: a batch, its webhook, a failed delivery and the retry\.\n/);
    expect(out).toMatch(/\n1\. Started Herald at http:\/\/127\.0\.0\.1:\d+ /);
    expect(out).toMatch(/\n4\. Created batches\/\w+ with 2 requests/);
    expect(out).toMatch(/\n {3}✓ batches\/\w+ succeeded in /);
    expect(out).toMatch(
      /\n6\. Attempt 1 of dlv_\w+: signature verified ✓, the receiver answered 500 in .* → Herald retries/,
    );
    expect(out).toMatch(
      /\n7\. Attempt 2 \(same webhook-id msg_\w+, fresh signature\): verified ✓, the receiver answered 200/,
    );
    expect(out).toMatch(/\n8\. Delivered: dlv_\w+ is succeeded after 2 attempts \(500 → 200\)\n/);
    expect(out).toMatch(/\nDone in /);
  });
});
