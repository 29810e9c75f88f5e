/** What the runner needs of a logger; the CLI provides one backed by pino. */
export interface Log {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  /** False when debug lines are dropped: callers then skip building them (once per request). */
  readonly debugEnabled?: boolean;
}
