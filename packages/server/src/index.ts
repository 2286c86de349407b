export { createHerald } from './compose/herald.js';
export type { Herald, HeraldOptions } from './compose/herald.js';
export { loadConfig, ConfigError } from './compose/config.js';
export { limitHeapGrowth } from './compose/heap-growth.js';
export type { HeraldConfig } from './compose/config.js';
export { ApiError } from './http/api-error.js';
export {
  DomainError,
  InvalidArgument,
  TooLarge,
  NotFound,
  AlreadyExists,
  FailedPrecondition,
  PermissionDenied,
  LeaseLost,
  ResourceExhausted,
} from './kernel/domain-errors.js';
export type { DomainErrorCode } from './kernel/domain-errors.js';
export type { Clock } from './kernel/clock.js';
export { systemClock } from './kernel/clock.js';
export type { Executor, ExecutorContext, ExecutorOperation } from './operations/runner/executor-types.js';
export type { OperationService, CreateOperationInput } from './operations/operation-service.js';
export type { OperationRecord, OperationState, OperationError } from './model/operation-records.js';
