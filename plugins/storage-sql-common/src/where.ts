/**
 * How a driver numbers statement parameters: `?` in order (SQLite), or `$1, $2, ...` (PostgreSQL).
 */
export type Placeholders = "?" | "$n";

/** Builds a WHERE clause and its parameters, in order. Clauses are written with `?` on every backend. */
export class Where {
  private readonly parts: string[] = [];

  /**
   * `params` may be shared by several Wheres that go into one statement (subqueries): each numbers its
   * `$n` after the parameters already there.
   */
  constructor(
    private readonly placeholders: Placeholders,
    readonly params: unknown[] = [],
  ) {}

  /** `add("profile_id = ?", v)`: with `$n` placeholders each `?` becomes the next `$n`. */
  add(clause: string, ...values: unknown[]): this {
    if (this.placeholders === "?") {
      this.parts.push(clause);
      this.params.push(...values);
    } else {
      let i = 0;
      this.parts.push(clause.replace(/\?/g, () => this.param(values[i++])));
    }
    return this;
  }

  /** Adds `column = ?` when the value is defined. */
  eq(column: string, value: unknown): this {
    return value === undefined ? this : this.add(`${column} = ?`, value);
  }

  /** Appends a parameter and returns its placeholder, for a value used outside the clause (a LIMIT). */
  param(value: unknown): string {
    this.params.push(value);
    return this.placeholders === "?" ? "?" : `$${this.params.length}`;
  }

  toString(): string {
    return this.parts.join(" AND ");
  }
}
