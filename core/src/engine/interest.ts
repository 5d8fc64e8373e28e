/**
 * A registry of "does anyone react to this?" tests: the parts of the engine that consume something
 * (journeys, segments) register what they react to, and the producer skips the work nobody needs.
 * Each use is its own per-instance subclass (an injection token of its own).
 */
export class Interest<A extends unknown[]> {
  private readonly tests: ((...args: A) => boolean | Promise<boolean>)[] = [];

  register(test: (...args: A) => boolean | Promise<boolean>): void {
    this.tests.push(test);
  }

  async wants(...args: A): Promise<boolean> {
    for (const test of this.tests) if (await test(...args)) return true;
    return false;
  }
}
