/** What the user context's handlers require; user-context.ts says who gets each by default. */
export const USER_READ_ANY = "user:read:any";
export const USER_WRITE_ANY = "user:write:any";
export const USER_MANAGE = "user:manage";
