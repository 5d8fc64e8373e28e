/**
 * One versioned schema change of a SQL plugin. Each plugin owns its list, in its own dialect; a released
 * migration is never edited: a change is a new entry.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The migrations a database at version `current` lacks, in order. A database migrated by a newer
 * version of the plugin is refused rather than misread.
 */
export function pendingMigrations(migrations: readonly Migration[], current: number, packageName: string): Migration[] {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new Error(`its schema is at version ${current}, newer than this version of ${packageName} knows (${latest}); upgrade the package`);
  }
  return migrations.filter((m) => m.version > current);
}
