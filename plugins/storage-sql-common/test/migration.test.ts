import { describe, expect, it } from "vitest";
import { pendingMigrations, type Migration } from "@nudge/storage-sql-common";

const migrations: Migration[] = [1, 2, 3].map((version) => ({ version, name: `m${version}`, sql: "" }));

describe("pendingMigrations", () => {
  it("lists what a database lacks, in order", () => {
    expect(pendingMigrations(migrations, 0, "@nudge/storage-x").map((m) => m.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations(migrations, 2, "@nudge/storage-x").map((m) => m.version)).toEqual([3]);
    expect(pendingMigrations(migrations, 3, "@nudge/storage-x")).toEqual([]);
  });

  it("refuses a schema newer than the package, naming both versions", () => {
    expect(() => pendingMigrations(migrations, 7, "@nudge/storage-x")).toThrow(
      "its schema is at version 7, newer than this version of @nudge/storage-x knows (3); upgrade the package",
    );
  });
});
