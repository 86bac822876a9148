/** An error whose message is safe and meant for the person who asked: bad input, refusal, not found. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
