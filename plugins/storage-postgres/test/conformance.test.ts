import { describeStorageConformance } from "@nudge/core/testkit";
import { storagePostgres } from "@nudge/storage-postgres";
import { dropSchema, PG_URL, pgAvailable, uniqueSchema } from "./pg-test-env.js";

const schema = uniqueSchema();

describeStorageConformance("postgres", () => storagePostgres({ url: PG_URL, schema }), {
  available: pgAvailable,
  cleanup: () => dropSchema(schema),
});
