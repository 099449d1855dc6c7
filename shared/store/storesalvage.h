// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace kerbside {

/** What opening the store found and did: normally nothing; after damage, where the damaged
 *  file was kept and what could be copied out of it. */
struct StoreOpenReport
{
    bool salvaged = false;
    QString damage;      // SQLite's verdict (quick_check or the error that stopped reading)
    QString damagedCopy; // the untouched damaged file, renamed beside the store
    int responses = 0;   // responses copied into the new store
    int unsent = 0;      // of those, finalised and not yet acknowledged by the collector
    int answers = 0;
    int contacts = 0;
    int settings = 0;
    int paradata = 0;
    int unreadable = 0;  // read errors met (each may hide one row or a run of them)
    int fromJournal = 0; // finalised responses put back from the outbox journal

    // Plain words for the fieldworker, e.g. "The survey data on this tablet was damaged. ...".
    QString message() const;
};

/** Copies what is readable out of a damaged device store. The damaged file (and its WAL) are
 *  renamed, never written; a new store is built at the original path and filled table by table,
 *  row by row, skipping whatever SQLite cannot read. */
class StoreSalvage
{
public:
    // `path` must be closed by every connection. Throws StoreError when no new store can be
    // written (then the damaged file is still in place under its new name).
    static StoreOpenReport salvage(const QString &path, const QString &damage);
};

} // namespace kerbside
