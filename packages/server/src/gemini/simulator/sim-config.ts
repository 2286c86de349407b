import { ConfigError } from '../../kernel/config-error.js';
import type { ModelFamily } from '../models/model-registry.js';

/** How long simulated work takes, before HERALD_TIME_SCALE divides it. */
export interface SimulatorConfig {
  enabled: boolean;
  batchMs: number;
  videoMs: number;
  interactionMs: number;
  /** Models served beside the built-in ones (HERALD_SIM_MODELS). */
  models?: readonly { id: string; family: ModelFamily }[];
  /** Requests per minute per project and model on the generation methods (HERALD_SIM_RPM); 0: no quota. */
  rpm?: number;
}

export const SIMULATOR_DEFAULTS: SimulatorConfig = {
  enabled: true,
  batchMs: 5_000,
  videoMs: 8_000,
  interactionMs: 2_000,
};

function ms(env: Record<string, string | undefined>, name: string, def: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 7 * 86_400_000)
    throw new ConfigError(`${name} must be a whole number of milliseconds from 0 to 604800000, got "${raw}"`);
  return n;
}

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** `my-model,veo-9=video` → `[{id: 'my-model', family: 'text'}, {id: 'veo-9', family: 'video'}]`. */
function models(raw: string | undefined): { id: string; family: ModelFamily }[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const [id = '', family = 'text', ...rest] = entry
      .trim()
      .replace(/^models\//, '')
      .split('=');
    if (!MODEL_ID.test(id) || (family !== 'text' && family !== 'video') || rest.length > 0)
      throw new ConfigError(
        `HERALD_SIM_MODELS must be a comma-separated list of model ids, each optionally "=text" or "=video" ` +
          `(e.g. "my-tuned-model,veo-9=video"), got "${entry.trim()}"`,
      );
    return { id, family };
  });
}

/**
 * Reads the simulator's settings: `HERALD_SIMULATOR` (`on`/`off`, default on),
 * `HERALD_SIM_BATCH_MS` (5000), `HERALD_SIM_VIDEO_MS` (8000), `HERALD_SIM_INTERACTION_MS` (2000),
 * `HERALD_SIM_MODELS` (extra model names: `my-model,veo-9=video`), `HERALD_SIM_RPM` (a simulated
 * per-minute quota; unset or 0: none).
 */
export function loadSimulatorConfig(env: Record<string, string | undefined> = process.env): SimulatorConfig {
  const flag = env.HERALD_SIMULATOR?.toLowerCase();
  if (flag !== undefined && flag !== '' && !['on', 'off', '1', '0', 'true', 'false'].includes(flag))
    throw new ConfigError(`HERALD_SIMULATOR must be on or off, got "${env.HERALD_SIMULATOR ?? ''}"`);
  const extra = models(env.HERALD_SIM_MODELS);
  const rawRpm = env.HERALD_SIM_RPM ?? '';
  const rpm = rawRpm === '' ? 0 : Number(rawRpm);
  if (!Number.isInteger(rpm) || rpm < 0 || rpm > 1_000_000)
    throw new ConfigError(
      `HERALD_SIM_RPM must be a whole number of requests per minute (0: no quota), got "${rawRpm}"`,
    );
  return {
    enabled: !(flag === 'off' || flag === '0' || flag === 'false'),
    batchMs: ms(env, 'HERALD_SIM_BATCH_MS', SIMULATOR_DEFAULTS.batchMs),
    videoMs: ms(env, 'HERALD_SIM_VIDEO_MS', SIMULATOR_DEFAULTS.videoMs),
    interactionMs: ms(env, 'HERALD_SIM_INTERACTION_MS', SIMULATOR_DEFAULTS.interactionMs),
    ...(extra.length > 0 ? { models: extra } : {}),
    ...(rpm > 0 ? { rpm } : {}),
  };
}
