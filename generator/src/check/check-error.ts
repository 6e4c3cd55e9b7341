/** A `hookline check` problem that is not a schema change: bad usage, an unreadable catalog, git or the server failing. Exit status 2. */

export class CheckError extends Error {
  override readonly name = "CheckError";
}
