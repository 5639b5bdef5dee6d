// What the file store refuses or cannot find.

/** The file passed the size limit: refused as soon as it did, and nothing of it kept. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`file over ${maxBytes} bytes`);
  }
}

/** The bytes stopped coming (the client went away, the request broke): nothing of the file kept. */
export class FileSourceError extends Error {
  constructor(readonly reason: unknown) {
    super('the file stopped arriving');
  }
}

/** No stored file under the key, or not all of it. */
export class FileMissingError extends Error {
  constructor(readonly key: string) {
    super(`stored file ${key} is missing`);
  }
}
