import type { EventMetadata } from "../../../ports/event-log.js";
import type { UnitOfWork } from "../../../ports/unit-of-work.js";
import type { TransactionScope } from "./transaction-scope.js";

export class KyselyUnitOfWork implements UnitOfWork {
  constructor(private readonly scope: TransactionScope) {}

  run<T>(metadata: EventMetadata, work: () => Promise<T>): Promise<T> {
    return this.scope.run(metadata, work);
  }
}
