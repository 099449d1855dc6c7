// SPDX-License-Identifier: Apache-2.0
#include "synctypes.h"

#include "store/storetypes.h"

namespace kerbside {

namespace {

QString plural(int n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

} // namespace

void SyncReport::fail(const SyncError &e)
{
    result = e.code() == SyncError::Code::Cancelled ? Result::Cancelled
        : e.code() == SyncError::Code::NotEnrolled  ? Result::NotEnrolled
                                                     : Result::Failed;
    failure = e.code();
    httpStatus = e.httpStatus();
    error = e.message();
}

void SyncReport::fail(const std::exception &e)
{
    result = Result::Failed;
    const auto *store = dynamic_cast<const StoreError *>(&e);
    failure = store && store->code() == StoreError::Code::DiskFull ? SyncError::Code::DiskFull
                                                                   : SyncError::Code::Store;
    error = QString::fromUtf8(e.what());
}

QString SyncReport::summary() const
{
    QStringList parts;
    switch (result) {
    case Result::NotEnrolled:
        return QStringLiteral("Not synced: %1.").arg(error);
    case Result::Cancelled:
        parts << QStringLiteral("Sync stopped.");
        break;
    case Result::Failed:
        parts << QStringLiteral("Sync did not finish: %1.").arg(error);
        break;
    case Result::NothingToDo:
        parts << QStringLiteral("Nothing new to send.");
        break;
    case Result::Ok:
        break;
    }
    if (sent > 0) {
        QString s = QStringLiteral("Sent %1").arg(plural(sent, "item", "items"));
        QStringList held;
        if (accepted)
            held << QStringLiteral("%1 new").arg(accepted);
        if (duplicates)
            held << QStringLiteral("%1 already there").arg(duplicates);
        if (conflicts)
            held << QStringLiteral("%1 to be checked by the coordinator").arg(conflicts);
        if (!held.isEmpty())
            s += QStringLiteral(" (%1)").arg(held.join(QStringLiteral(", ")));
        parts << s + QLatin1Char('.');
    }
    if (rejected)
        parts << QStringLiteral("%1 refused by the collector and kept on this tablet.")
                     .arg(plural(rejected, "item was", "items were"));
    if (!formsDownloaded.isEmpty())
        parts << QStringLiteral("%1 downloaded.").arg(plural(int(formsDownloaded.size()), "new form", "new forms"));
    if (!formProblems.isEmpty())
        parts << QStringLiteral("%1 could not be saved.").arg(plural(int(formProblems.size()), "form", "forms"));
    if (waiting > 0)
        parts << QStringLiteral("%1 still waiting.").arg(plural(waiting, "item", "items"));
    else if (result == Result::Ok || result == Result::NothingToDo)
        parts << QStringLiteral("Everything is with the collector.");
    return parts.join(QLatin1Char(' '));
}

} // namespace kerbside
