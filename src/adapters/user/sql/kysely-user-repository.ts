import { User } from "../../../domain/user/user.js";
import { EmailAlreadyRegistered } from "../../../domain/user/user-errors.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import { ConcurrencyConflict } from "../../../ports/unit-of-work.js";
import type { UserRepository } from "../../../ports/user/user-repository.js";
import { appendEvents } from "../../persistence/kysely/append-events.js";
import { violatedUniqueConstraint } from "../../persistence/kysely/sql-errors.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { userState } from "./user-rows.js";

export class KyselyUserRepository implements UserRepository {
  constructor(
    private readonly scope: TransactionScope,
    private readonly ids: IdGenerator,
  ) {}

  async get(id: string): Promise<User | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("users")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? undefined : User.fromSnapshot(userState(row), row.version);
  }

  async idOfEmail(email: string): Promise<string | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("users")
      .select("id")
      .where("email", "=", email)
      .executeTakeFirst();
    return row?.id;
  }

  /** State row and events in the unit of work's transaction; the version check makes it optimistic. */
  async save(user: User): Promise<void> {
    if (user.pendingEvents.length === 0) return;
    const { trx, metadata } = this.scope.current();
    const state = user.snapshot();
    const row = {
      email: state.email,
      given_name: state.givenName,
      family_name: state.familyName,
      roles: [...state.roles],
      active: state.active,
      password_changed_at: new Date(state.passwordChangedAt),
      version: user.version,
      updated_at: new Date(state.updatedAt),
    };
    try {
      if (user.persistedVersion === 0) {
        await trx
          .insertInto("users")
          .values({ ...row, id: state.id, created_at: new Date(state.createdAt) })
          .execute();
      } else {
        const result = await trx
          .updateTable("users")
          .set(row)
          .where("id", "=", state.id)
          .where("version", "=", user.persistedVersion)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n)
          throw new ConcurrencyConflict("user", state.id, user.persistedVersion);
      }
    } catch (error) {
      const constraint = violatedUniqueConstraint(error);
      if (constraint === "users_email_key") throw new EmailAlreadyRegistered(state.email);
      if (constraint === "users_pkey") throw new ConcurrencyConflict("user", state.id, 0);
      throw error;
    }
    await appendEvents(trx, this.ids, "user", user.pendingEvents, metadata);
    user.markPersisted();
  }
}
