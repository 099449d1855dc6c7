// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <memory>

namespace kerbside {

class SqliteDb;

/** The device store's schema: its versions, the DDL of each migration step, and the checks
 *  that tell a Kerbside store from a corrupt, foreign or newer file before anything is written.
 *
 *  A new file is built by running every step from version 0, so a fresh store and a migrated
 *  one are the same by construction. Each step runs in one transaction with its
 *  `PRAGMA user_version` bump: a crash mid-migration leaves the older, intact version. */
class StoreSchema
{
public:
    static constexpr int kApplicationId = 0x4b657262; // "Kerb" in PRAGMA application_id
    static constexpr int kCurrentVersion = 7;

    // v1: the first shipped schema (no paradata table, no observed age band/gender on contacts).
    // Kept verbatim: it is where the migration chain starts (and what tests build v1 files with).
    static const char *v1Ddl();

    // Looks at the file's bytes before SQLite opens it: an absent file is a new store unless
    // the marker (markerPath) says this tablet had one; an empty, short or non-SQLite file
    // throws StoreError Corrupt naming the file.
    static void checkFileHeader(const QString &path);
    // Beside the store, written once it exists: "this device keeps its survey data here".
    static QString markerPath(const QString &path);

    // Identifies the open database (new / ours / foreign / newer), runs SQLite's quick_check
    // on an existing store (damage throws Corrupt), migrates it to kCurrentVersion and sets
    // the connection's pragmas (WAL, synchronous=FULL, foreign keys).
    static void prepare(SqliteDb &db);
    // A new, empty store of the current version at `path` (which must not exist), built
    // under a temporary name and renamed into place.
    static std::unique_ptr<SqliteDb> createFile(const QString &path);

private:
    static void migrate(SqliteDb &db, int from);
};

} // namespace kerbside
