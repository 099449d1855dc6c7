// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QStringList>

namespace kerbside {

enum class SqlDialect { Sqlite, Postgres };

/** The tables and indexes both collector backends have, in one dialect's SQL. Written once
 *  (collectorschema.cpp) so the two backends cannot drift apart; each backend adds only what
 *  is its own (SQLite: plain UUID indexes; PostgreSQL: unique indexes that guard against two
 *  collectors storing one item twice, and a lock-then-read function). */
QByteArray collectorSchemaSql(SqlDialect dialect);

/** Version 2 -> 3: the tables version 3 added (refusals, device_links), alone. */
QByteArray collectorSchemaVersion3Sql(SqlDialect dialect);
/** Version 3 -> 4: the fieldwork plan's tables (areas, quotas and their
 *  counters, population margins), also part of collectorSchemaSql(). */
QByteArray fieldworkPlanSql(SqlDialect dialect);
/** Schema step 4 -> 5 (the dashboard): its tables, the merge counters filled from what
 *  is held, and the new version number; run inside the backend's upgrade transaction. */
QByteArray upgradeToVersion5Sql(SqlDialect dialect);

/** The UTC day ("yyyy-MM-dd", "" for none) of a column of ms since the epoch, in SQL. */
QByteArray counterDaySql(SqlDialect dialect, const char *msColumn);

/** Every table, parents before children (the order `kerbside migrate` copies them in). */
QStringList collectorTables();

} // namespace kerbside
