/**
 * The database cannot be reached or cannot take the write right now (connection refused or lost,
 * pool exhausted, statement timeout, database locked or out of space). Nothing was committed by the
 * failing call — or, for a lost connection during COMMIT, it may have been, which a retry with the
 * same event id resolves. The HTTP layer answers 503 with Retry-After; the worker backs off.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The database was migrated by a newer Hookline than this one: refuse to touch it. */
export class SchemaTooNewError extends Error {
  override readonly name = "SchemaTooNewError";

  constructor(where: string, found: number, known: number) {
    super(
      `The database ${where} is at schema version ${found}, but this server only knows versions up to ${known}. ` +
        "It was migrated by a newer Hookline; run that version (or newer) instead. Downgrading the schema is not supported.",
    );
  }
}
