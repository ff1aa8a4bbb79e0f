/** A failure at start-up whose message is one line written for whoever ran the command, saying what to do. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
