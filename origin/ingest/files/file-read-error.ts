/**
 * A file that cannot be read as a whole: a mapped column it lacks, a header it doesn't have, bytes that are
 * not Parquet. The operator's to fix, so `edgewise` prints it as one line (a bad row is not this: it is
 * reported with its line and the rows after it are read).
 */
export class FileReadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FileReadError";
  }
}
