/** What stops the dev stack, said so that a person knows what to do: printed alone, without a stack trace. */
export class DevStackProblem extends Error {
  override name = 'DevStackProblem';
}
