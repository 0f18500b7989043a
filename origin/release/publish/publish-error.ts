/** A publish or rollback the publisher refused, with a message meant for the person running it. */
export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PublishError";
  }
}
