import type { AdminKeyRepo } from './admin-key-repo.js';
import type { ApiKeyRepo } from './api-key-repo.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { DeliveryRepo } from './delivery-repo.js';
import type { EventLog } from './event-log.js';
import type { FileRepo } from './file-repo.js';
import type { OperationRepo } from './operation-repo.js';
import type { PortalLinkRepo } from './portal-link-repo.js';
import type { PortalSessionRepo } from './portal-session-repo.js';
import type { ProjectRepo } from './project-repo.js';
import type { ReadModels } from './read-models.js';
import type { RetentionPort } from './retention-port.js';
import type { SigningKeyRepo } from './signing-key-repo.js';
import type { StoreLifecycle } from './store-lifecycle.js';
import type { WebhookRepo } from './webhook-repo.js';

/**
 * Persistence for everything Herald knows: every port at once, as a dialect opens it (SQLite:
 * embedded, one process; PostgreSQL: many processes). Each method is one unit of work: when it
 * writes several rows (a state change, its event and its deliveries) it does so in ONE
 * transaction. Consumers take the narrow port they use (`DeliveryQueue`, `WebhookRepo`, …); only
 * the composition root and tests hold the whole store.
 */
export interface Store
  extends
    StoreLifecycle,
    ProjectRepo,
    ApiKeyRepo,
    AdminKeyRepo,
    PortalLinkRepo,
    PortalSessionRepo,
    WebhookRepo,
    EventLog,
    DeliveryQueue,
    DeliveryRepo,
    ReadModels,
    RetentionPort,
    SigningKeyRepo,
    OperationRepo,
    FileRepo {}
