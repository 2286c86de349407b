/** What the composition root and `/readyz` need of the store itself, whatever its ports. */
export interface StoreLifecycle {
  readonly dialect: 'sqlite' | 'postgres';
  /** Cheap liveness check of the database (for `/readyz`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
