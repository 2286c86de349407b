import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../compose/config.js';
import { loadSimulatorConfig, SIMULATOR_DEFAULTS } from './sim-config.js';

describe('loadSimulatorConfig', () => {
  it('is on with the documented durations by default', () => {
    expect(loadSimulatorConfig({})).toEqual({ enabled: true, batchMs: 5_000, videoMs: 8_000, interactionMs: 2_000 });
    expect(loadSimulatorConfig({ HERALD_SIMULATOR: '', HERALD_SIM_BATCH_MS: '' })).toEqual(SIMULATOR_DEFAULTS);
  });

  it('reads HERALD_SIMULATOR and the HERALD_SIM_*_MS durations', () => {
    expect(
      loadSimulatorConfig({
        HERALD_SIMULATOR: 'OFF',
        HERALD_SIM_BATCH_MS: '60000',
        HERALD_SIM_VIDEO_MS: '0',
        HERALD_SIM_INTERACTION_MS: '604800000',
      }),
    ).toEqual({ enabled: false, batchMs: 60_000, videoMs: 0, interactionMs: 604_800_000 });
    for (const on of ['on', '1', 'true']) expect(loadSimulatorConfig({ HERALD_SIMULATOR: on }).enabled).toBe(true);
    for (const off of ['off', '0', 'false']) expect(loadSimulatorConfig({ HERALD_SIMULATOR: off }).enabled).toBe(false);
  });

  it('names the variable and the allowed values when one is wrong', () => {
    expect(() => loadSimulatorConfig({ HERALD_SIMULATOR: 'maybe' })).toThrow(
      new ConfigError('HERALD_SIMULATOR must be on or off, got "maybe"'),
    );
    for (const bad of ['-1', '1.5', '5s', '604800001'])
      expect(() => loadSimulatorConfig({ HERALD_SIM_VIDEO_MS: bad })).toThrow(
        `HERALD_SIM_VIDEO_MS must be a whole number of milliseconds from 0 to 604800000, got "${bad}"`,
      );
  });

  it('reads extra model names from HERALD_SIM_MODELS, text unless "=video"', () => {
    expect(loadSimulatorConfig({ HERALD_SIM_MODELS: 'my-tuned, models/veo-9=video,x=text' }).models).toEqual([
      { id: 'my-tuned', family: 'text' },
      { id: 'veo-9', family: 'video' },
      { id: 'x', family: 'text' },
    ]);
    expect(loadSimulatorConfig({ HERALD_SIM_MODELS: '' })).not.toHaveProperty('models');
    for (const bad of ['Upper', 'a=audio', 'a=text=video', ','])
      expect(() => loadSimulatorConfig({ HERALD_SIM_MODELS: bad })).toThrow(/HERALD_SIM_MODELS must be/);
  });

  it('reads HERALD_SIM_RPM, a simulated quota (unset or 0: none)', () => {
    expect(loadSimulatorConfig({ HERALD_SIM_RPM: '10' }).rpm).toBe(10);
    expect(loadSimulatorConfig({ HERALD_SIM_RPM: '0' })).not.toHaveProperty('rpm');
    for (const bad of ['-1', '1.5', 'ten'])
      expect(() => loadSimulatorConfig({ HERALD_SIM_RPM: bad })).toThrow(/HERALD_SIM_RPM must be a whole number/);
  });
});
