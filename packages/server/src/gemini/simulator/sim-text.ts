import { createHash } from 'node:crypto';

/** The markers a request carries to steer the simulator (see docs/simulator.md). */
export type Marker = '[fail]' | '[expire]' | '[requires_action]' | '[filtered]';

/** True when `marker` appears anywhere in the value's JSON text (prompts, names, metadata). */
export function hasMarker(value: unknown, marker: Marker): boolean {
  return value !== undefined && (JSON.stringify(value) ?? '').includes(marker);
}

/**
 * The prompt of a request: the value itself when it is a string, otherwise every `text` and
 * `prompt` string found inside it (Gemini contents, interaction steps), joined with spaces.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'text' || k === 'prompt') && typeof x === 'string') found.push(x);
        else walk(x);
      }
    }
  };
  walk(value);
  return found.join(' ');
}

/** A short stable digest: the same input always yields the same output. */
export const digest = (text: string, length = 8) => createHash('sha256').update(text).digest('hex').slice(0, length);

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The simulated model's answer: deterministic, and quoting the prompt so a test can match it. */
export function simulatedReply(prompt: string): { text: string; promptTokens: number; outputTokens: number } {
  const quoted = prompt.length > 80 ? `${prompt.slice(0, 77)}...` : prompt;
  const text = `Simulated response to "${quoted}" (${digest(prompt)}).`;
  return { text, promptTokens: Math.max(1, words(prompt)), outputTokens: words(text) };
}

/** A GenerateContentResponse as the Gemini API returns it. */
export function generateContentResponse(prompt: string, model: string): Record<string, unknown> {
  const r = simulatedReply(prompt);
  return {
    candidates: [{ content: { role: 'model', parts: [{ text: r.text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: r.promptTokens,
      candidatesTokenCount: r.outputTokens,
      totalTokenCount: r.promptTokens + r.outputTokens,
    },
    modelVersion: model.replace(/^models\//, ''),
  };
}
