import type { FileRepo } from './file-repo.js';
import type { OperationRepo } from './operation-repo.js';

/** Operations with their files (what the operation service and waiter were written against). */
export type OperationStore = OperationRepo & FileRepo;
