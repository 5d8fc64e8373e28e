/** The error a promise rejects with; fails the test when it resolves instead. */
export function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`);
    },
    (e: unknown) => e as E,
  );
}
