import type { UserEvent } from "./user-events.js";

export interface UserState {
  readonly id: string;
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Sorted, unique role names. */
  readonly roles: readonly string[];
  readonly active: boolean;
  readonly passwordChangedAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function evolveUser(state: UserState | undefined, event: UserEvent): UserState {
  if (event.type === "user.registered") {
    return {
      id: event.aggregateId,
      email: event.data.email,
      givenName: event.data.givenName,
      familyName: event.data.familyName,
      roles: event.data.roles,
      active: true,
      passwordChangedAt: event.occurredAt,
      createdAt: event.occurredAt,
      updatedAt: event.occurredAt,
    };
  }
  if (state === undefined) throw new Error(`${event.type} before user.registered`);
  const updatedAt = event.occurredAt;
  switch (event.type) {
    case "user.profile_updated":
      return { ...state, givenName: event.data.givenName, familyName: event.data.familyName, updatedAt };
    case "user.roles_assigned":
      return { ...state, roles: event.data.roles, updatedAt };
    case "user.password_changed":
      return { ...state, passwordChangedAt: event.occurredAt, updatedAt };
    case "user.deactivated":
      return { ...state, active: false, updatedAt };
  }
}
