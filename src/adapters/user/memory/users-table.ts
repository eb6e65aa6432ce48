import { EmailAlreadyRegistered } from "../../../domain/user/user-errors.js";
import type { UserState } from "../../../domain/user/user-state.js";
import type { TableDefinition } from "../../memory/memory-database.js";

/** User state rows, shared by the memory repository (write side) and read model (query side). */
export const usersTable: TableDefinition<UserState> = {
  name: "user",
  unique: { email: (row) => row.email },
  onUniqueViolation: (_key, value) => new EmailAlreadyRegistered(value),
};
