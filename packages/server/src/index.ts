export { createHerald } from './herald.js';
export type { Herald, HeraldOptions } from './herald.js';
export { loadConfig, ConfigError } from './config.js';
export type { HeraldConfig } from './config.js';
export { ApiError } from './errors.js';
export type { Clock } from './engine/clock.js';
export { systemClock } from './engine/clock.js';
