/** A command line that cannot be run as written: printed with the usage hint, exit 2. */
export class UsageError extends Error {}
