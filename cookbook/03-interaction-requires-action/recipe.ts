/**
 * An interaction that requires action (function calling), continued from the webhook handler:
 *   npx tsx --conditions=@herald/source cookbook/03-interaction-requires-action/recipe.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHerald } from '@herald/server';
import { createWebhookReceiver, Webhook, type WebhookReceiver } from '@herald/webhooks';
import { toNodeHandler } from '@herald/webhooks/node';

interface Step {
  type: string;
  id?: string;
  name?: string;
  arguments?: Record<string, unknown>;
  content?: { type: string; text: string }[];
}
interface Interaction {
  id: string;
  status: string;
  previous_interaction_id?: string;
  steps: Step[];
}

/** Your tools: what the model may ask your code to run. */
const tools: Record<string, (args: Record<string, unknown>) => string> = {
  get_weather: (args) => `18°C and sunny in ${typeof args['city'] === 'string' ? args['city'] : 'Paris'}`,
};

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };

  // timeScale 20: each simulated 2 s interaction takes 0.1 s.
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent', timeScale: 20 } });
  const base = await herald.listen();
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, {
      method,
      headers: { 'x-goog-api-key': herald.apiKey, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  let receiver: WebhookReceiver | undefined;
  const server = createServer((req, res) => toNodeHandler(receiver!)(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;

  let finished!: (i: Interaction) => void;
  const completed = new Promise<Interaction>((r) => (finished = r));
  try {
    const wh = await api<{ new_signing_secret: string }>('POST', '/v1beta/webhooks', {
      uri: receiverUrl,
      subscribed_events: ['interaction.requires_action', 'interaction.completed', 'interaction.failed'],
    });
    receiver = createWebhookReceiver({ verifier: new Webhook(wh.new_signing_secret) })
      // The model wants a tool: run it and continue the conversation with its result.
      .on('interaction.requires_action', async (event) => {
        const interaction = await api<Interaction>('GET', `/v1beta/interactions/${event.data.id}`);
        const call = interaction.steps.findLast((s) => s.type === 'function_call')!;
        const result = tools[call.name!]!(call.arguments ?? {});
        say(`2. webhook: ${event.type}, model calls ${call.name}(${JSON.stringify(call.arguments)}) → "${result}"`);
        const next = await api<Interaction>('POST', '/v1beta/interactions', {
          model: 'gemini-3-flash-preview',
          previous_interaction_id: interaction.id,
          input: [{ type: 'function_result', call_id: call.id, name: call.name, result }],
          background: true,
        });
        say(
          `3. continued: new interaction ${next.status}, previous_interaction_id set: ${next.previous_interaction_id === interaction.id}`,
        );
      })
      .on('interaction.completed', async (event) => {
        finished(await api<Interaction>('GET', `/v1beta/interactions/${event.data.id}`));
      })
      .on('interaction.failed', (event) => {
        say(`interaction failed: ${event.data.error_message}`);
      });

    // 1. Start a background interaction that declares a function tool.
    const first = await api<Interaction>('POST', '/v1beta/interactions', {
      model: 'gemini-3-flash-preview',
      input: 'What is the weather in Paris?',
      background: true,
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Current weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
    });
    say(`1. interaction started: ${first.status}`);

    const done = await completed;
    const text = done.steps.find((s) => s.type === 'model_output')?.content?.[0]?.text ?? '';
    say(`4. webhook: interaction.completed (${done.status}), output: ${text.slice(0, 21)}…`);
    const chain = await api<Interaction>('GET', `/v1beta/interactions/${first.id}`);
    say(
      `5. the first interaction stays ${chain.status}; the chain is first → ${done.previous_interaction_id === first.id ? 'continuation' : '?'}`,
    );
    return lines;
  } finally {
    await herald.close();
    await new Promise((r) => server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
