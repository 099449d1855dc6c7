// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "collectortypes.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace kerbside {

/** What `kerbside migrate` copied: rows per table on both sides, and a SHA-256 over the batch
 *  log (every batch's id, raw bytes and acknowledgement) read back from each side. */
struct MigrationReport
{
    struct Table
    {
        QString name;
        qint64 source = 0;
        qint64 target = 0;
    };
    QList<Table> tables;
    QByteArray sourceBatchLogSha256;
    QByteArray targetBatchLogSha256;
    bool verified() const;
};

/** Copies a collector's SQLite database into PostgreSQL: every table, the batch log included,
 *  ids unchanged, in one PostgreSQL transaction, then verifies counts and the batch log
 *  checksum before committing. The source is opened read-only and read in one transaction (a
 *  consistent snapshot). The target must be an empty database or an empty collector database:
 *  a collector database may hold acknowledged batches, so nothing is ever overwritten. */
class PostgresMigration
{
public:
    // `progress` gets one line per table as it is copied. Throws CollectorError: NotFound (no
    // source file), Invalid (not a collector database), TooNew, Exists (target not empty),
    // Io (a database failed, or verification failed: then nothing was committed).
    static MigrationReport run(const QString &sqlitePath, const QString &postgresUrl,
                               const std::function<void(const QString &)> &progress = {});
};

} // namespace kerbside
