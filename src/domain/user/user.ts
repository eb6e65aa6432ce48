import { AggregateRoot } from "../shared/aggregate-root.js";
import { entityId } from "../shared/entity-id.js";
import { name } from "../shared/name.js";
import { email } from "./email.js";
import { roleNames } from "./role-names.js";
import { UserIsDeactivated } from "./user-errors.js";
import type { UserEvent } from "./user-events.js";
import { evolveUser, type UserState } from "./user-state.js";

export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly roles: readonly string[];
}

/**
 * An account. Its credentials live apart (a password hash must never travel in an event); the
 * aggregate records that the password changed, so tokens issued before can be judged stale.
 * Email uniqueness spans accounts, so the application checks it.
 */
export class User extends AggregateRoot<UserState, UserEvent> {
  private constructor(state: UserState | undefined, version: number) {
    super(evolveUser, state, version);
  }

  static register(input: NewUser, now: Date): User {
    const user = new User(undefined, 0);
    user.record({
      type: "user.registered",
      aggregateId: entityId<"UserId">("userId", input.id),
      occurredAt: now.toISOString(),
      data: {
        email: email(input.email),
        givenName: name("givenName", input.givenName),
        familyName: name("familyName", input.familyName),
        roles: roleNames(input.roles),
      },
    });
    return user;
  }

  static fromHistory(history: readonly UserEvent[]): User {
    const { state, version } = AggregateRoot.fold(evolveUser, history);
    return new User(state, version);
  }

  static fromSnapshot(state: UserState, version: number): User {
    return new User(state, version);
  }

  get id(): string {
    return this.state.id;
  }

  snapshot(): UserState {
    return this.state;
  }

  updateProfile(givenName: string, familyName: string, now: Date): void {
    this.mustBeActive();
    const given = name("givenName", givenName);
    const family = name("familyName", familyName);
    if (given === this.state.givenName && family === this.state.familyName) return;
    this.record({
      type: "user.profile_updated",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { givenName: given, familyName: family },
    });
  }

  assignRoles(roles: readonly string[], now: Date): void {
    this.mustBeActive();
    const names = roleNames(roles);
    if (names.join(",") === this.state.roles.join(",")) return;
    this.record({
      type: "user.roles_assigned",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { roles: names },
    });
  }

  /** The new hash is stored by the application; the aggregate records the fact and its time. */
  passwordChanged(now: Date): void {
    this.mustBeActive();
    this.record({
      type: "user.password_changed",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: {},
    });
  }

  deactivate(now: Date): void {
    if (!this.state.active) return;
    this.record({ type: "user.deactivated", aggregateId: this.id, occurredAt: now.toISOString(), data: {} });
  }

  private mustBeActive(): void {
    if (!this.state.active) throw new UserIsDeactivated(this.id);
  }
}
