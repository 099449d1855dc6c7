// SPDX-License-Identifier: Apache-2.0
// `kerbside migrate`: copies a collector's SQLite database into PostgreSQL and verifies it.
#include "collectorcli.h"

#include "postgrescollectorstore.h"
#include "postgresconnection.h"
#include "postgresmigration.h"

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside migrate --from sqlite:PATH --to postgresql://USER@HOST:PORT/DB\n"
    "Copies every table (the batch log included, ids unchanged) in one PostgreSQL transaction,\n"
    "then compares row counts per table and a SHA-256 of the batch log on both sides; on any\n"
    "difference nothing is committed. The target must be an empty database (or an empty\n"
    "collector database): a collector database may hold acknowledged batches, so there is no\n"
    "option to overwrite one; create a new database instead. Stop the SQLite collector first:\n"
    "the copy is a consistent snapshot, and batches it receives afterwards are not copied.\n"
    "Exit codes: 0 copied and verified, 1 refused (target not empty, not a collector database),\n"
    "2 usage, 3 a database failed or verification failed.");

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("from"), QStringLiteral("to")}, {}, kUsage, &args))
        return kExitUsage;
    if (!args.positional.isEmpty() || !args.has(QStringLiteral("from")) || !args.has(QStringLiteral("to"))) {
        err(args.positional.isEmpty() ? QStringLiteral("--from and --to are required")
                                      : QStringLiteral("unexpected argument '%1'").arg(args.positional.first()));
        err(kUsage);
        return kExitUsage;
    }
    QString from = args.value(QStringLiteral("from"));
    const QString to = args.value(QStringLiteral("to"));
    if (PostgresCollectorStore::isUrl(from)) {
        err(QStringLiteral("--from wants an SQLite collector database (sqlite:PATH or a path)"));
        return kExitUsage;
    }
    if (from.startsWith(QLatin1String("sqlite:")))
        from = from.mid(7);
    if (!PostgresCollectorStore::isUrl(to)) {
        err(QStringLiteral("--to wants a PostgreSQL URL (postgresql://USER@HOST:PORT/DB)"));
        return kExitUsage;
    }
    out(QStringLiteral("migrating %1 -> %2").arg(from, PgConnection::redact(to)));
    try {
        const MigrationReport report = PostgresMigration::run(from, to, [](const QString &line) { err(line); });
        out(QStringLiteral("%1 %2 %3").arg(QStringLiteral("table"), -20).arg(QStringLiteral("sqlite"), 12).arg(QStringLiteral("postgresql"), 12));
        for (const MigrationReport::Table &t : report.tables)
            out(QStringLiteral("%1 %2 %3").arg(t.name, -20).arg(t.source, 12).arg(t.target, 12));
        out(QStringLiteral("batch log sha256: %1 (sqlite) %2 (postgresql)")
                .arg(QString::fromLatin1(report.sourceBatchLogSha256.toHex()),
                     QString::fromLatin1(report.targetBatchLogSha256.toHex())));
        out(QStringLiteral("verified: counts and batch log match; committed"));
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside migrate: %1").arg(e.message()));
        switch (e.code()) {
        case CollectorError::Code::NotFound:
        case CollectorError::Code::Exists:
        case CollectorError::Code::Invalid:
        case CollectorError::Code::TooNew:
            return kExitRefused;
        default:
            return kExitDatabase;
        }
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("migrate"), QStringLiteral("copy a collector's SQLite database into PostgreSQL and verify it"), &run, kUsage}};

} // namespace
