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

/** The upgrade from version `toVersion - 1` to `toVersion`, for 3 to 8 (what each adds is also
 *  part of collectorSchemaSql()): 3 refusals and device links, 4 the fieldwork plan (areas,
 *  quotas and their counters, population margins), 5 the dashboard's tables with the merge
 *  counters filled from what is held, 6 the start time's UTC offset on response versions, 7 the
 *  devices' reports of complete interviews not synced yet, 8 the dashboard's grid and
 *  fieldworker counters filled from what is held (positions in a case study with an area judged
 *  in C++ when the store opens), 9 and 11 the answers' and paradata's packs (below), 10 the
 *  case-study, device and flag counters. The backend runs it in its upgrade transaction and then writes
 *  the new version number. */
QByteArray collectorUpgradeSql(int toVersion, SqlDialect dialect);

/** The version whose upgrade repacks every response version's answers against its form
 *  version's dictionary (answerpack.h, format 2) in C++, on each backend (sqliteschema.cpp,
 *  postgresschema.cpp), after collectorUpgradeSql() of the same number. Rows whose form is not
 *  held, or whose pack is damaged, stay as they are: readers read format 1 still. */
inline constexpr int kPackedAnswersVersion = 9;

/** The version whose upgrade packs every response version's rows of the `paradata` table into
 *  its `paradata` column (paradatapack.h) with `changes` and `language_switched` beside it, in
 *  C++ on each backend, in slices by id, after collectorUpgradeSql() of the same number added
 *  the columns; then the table is dropped. An event of an unknown kind throws (nothing changes). */
inline constexpr int kPackedParadataVersion = 11;

/** The UTC day ("yyyy-MM-dd", "" for none) of a column of ms since the epoch, in SQL. */
QByteArray counterDaySql(SqlDialect dialect, const char *msColumn);

/** Every table, parents before children (the order `kerbside migrate` copies them in). */
QStringList collectorTables();

} // namespace kerbside
