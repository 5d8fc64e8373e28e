export type { ColumnCodec, ColumnTypes } from "./column-codec.js";
export { decodeCursor, encodeCursor, IdCursor, TimeIdCursor, toPage } from "./cursor.js";
export { toJson } from "./json.js";
export { pendingMigrations, type Migration } from "./migration.js";
export { claimRefusedByStatus, whereCountedByLimit, whereListed, whereSent } from "./message-filters.js";
export { type Stores } from "./register-stores.js";
export { byDue, RowCodec } from "./row-codec.js";
export {
  ENROLLMENT_COLUMNS,
  EVENT_COLUMNS,
  JOURNEY_HEAD_COLUMNS,
  MESSAGE_COLUMN_NAMES,
  PROFILE_COLUMNS,
  TIMER_COLUMNS,
  type EnrollmentRow,
  type EventRow,
  type JourneyHeadRow,
  type MessageRow,
  type ProfileRow,
  type TimerRow,
} from "./rows.js";
export { Where, type Placeholders } from "./where.js";
