import type { DomainEvent } from "../shared/domain-event.js";

/** Credentials never appear in events: events are published to the bus and kept forever. */
export type UserRegistered = DomainEvent<
  "user.registered",
  { email: string; givenName: string; familyName: string; roles: string[] }
>;
export type UserProfileUpdated = DomainEvent<
  "user.profile_updated",
  { givenName: string; familyName: string }
>;
export type UserRolesAssigned = DomainEvent<"user.roles_assigned", { roles: string[] }>;
export type UserPasswordChanged = DomainEvent<"user.password_changed", Record<string, never>>;
export type UserDeactivated = DomainEvent<"user.deactivated", Record<string, never>>;

export type UserEvent =
  | UserRegistered
  | UserProfileUpdated
  | UserRolesAssigned
  | UserPasswordChanged
  | UserDeactivated;
