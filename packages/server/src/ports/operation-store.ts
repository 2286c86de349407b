import type { EpochMs } from '../model/records.js';
import type {
  FileRecord,
  LeaseOperationsInput,
  OperationChange,
  OperationQuery,
  OperationRecord,
  OperationUpdate,
  OperationUpdateResult,
} from '../model/operation-records.js';

/** A page of files: at most `limit`, older than the keyset cursor `before` when set. */
export interface FileQuery {
  limit: number;
  before?: { createdAt: EpochMs; name: string };
}

/**
 * Operations, their leases and files. Each method is one unit of work (one transaction).
 * The PostgreSQL store implements the same methods (leases with `FOR UPDATE SKIP LOCKED`,
 * change notifications over LISTEN/NOTIFY).
 */
export interface OperationStore {
  /** Inserts the operation; with an idempotency key already used, returns the original instead. */
  createOperation(op: OperationRecord): Promise<{ operation: OperationRecord; duplicate: boolean }>;
  getOperation(projectId: string, name: string): Promise<OperationRecord | undefined>;
  listOperations(projectId: string, q: OperationQuery): Promise<OperationRecord[]>;
  /**
   * Leases up to `max` operations of `kinds`, oldest first: pending ones, and running ones whose
   * lease expired (their holder died). Each becomes `running` with a new lease id; `attempt` + 1.
   */
  leaseOperations(input: LeaseOperationsInput): Promise<OperationRecord[]>;
  updateOperation(input: OperationUpdate): Promise<OperationUpdateResult>;
  /** Removes the operation (its events and files stay). */
  deleteOperation(projectId: string, name: string): Promise<boolean>;
  /** Pending or running operations whose `expireAt` has passed, oldest first. */
  expiredOperations(now: EpochMs, limit: number): Promise<OperationRecord[]>;
  /** Earliest `expireAt` of a pending or running operation, or null. */
  nextOperationExpiry(): Promise<EpochMs | null>;
  /**
   * Called once when an in-process runner starts: hands back leases whose holder was a
   * previous process. SQLite (one process per file): every lease with `ownerPrefix`.
   * PostgreSQL: a no-op, lease expiry does it.
   */
  recoverOperationLeases(ownerPrefix: string, now: EpochMs): Promise<number>;
  /** Stores an uploaded file (operation outputs are stored with `updateOperation`). */
  createFile(file: FileRecord, content: Uint8Array): Promise<void>;
  getFile(projectId: string, name: string): Promise<FileRecord | undefined>;
  getFileContent(projectId: string, name: string): Promise<Uint8Array | undefined>;
  /** A project's files, newest first (uploads and operation outputs alike). */
  listFiles(projectId: string, q: FileQuery): Promise<FileRecord[]>;
  /** Deletes a file and its bytes; false when there is no such file in the project. */
  deleteFile(projectId: string, name: string): Promise<boolean>;
  /** Calls `listener` after every commit that changed an operation. */
  subscribeOperations(listener: (change: OperationChange) => void): () => void;
}
