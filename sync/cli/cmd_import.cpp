// SPDX-License-Identifier: Apache-2.0
// `kerbside import`: merges a USB batch file exactly as an upload of the same batch would be.
#include "collectorcli.h"

#include "batchcodec.h"
#include "batchfile.h"

#include <QFile>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside import FILE... --db PATH\n"
    "exit status: 0 when every item merged (or was a duplicate), 1 when a file or any item in it was refused "
    "(each reason is printed), 2 on wrong arguments, 3 when the database fails");

int importFile(CollectorStore &store, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("%1: %2").arg(path, file.errorString()));
        return kExitRefused;
    }
    IncomingBatch batch;
    QByteArray raw;
    try {
        raw = BatchFile::unwrap(file.readAll());
        batch = BatchCodec::decode(raw);
    } catch (const ProtocolError &e) {
        err(QStringLiteral("%1: %2; nothing imported").arg(path, e.message()));
        return kExitRefused;
    }
    try {
        // The same rules as an upload: a known device may only bring its own case studies.
        const std::optional<DeviceRecord> device = store.device(batch.header.deviceId);
        if (!device) {
            err(QStringLiteral("%1: device %2 is not enrolled with this collector; nothing imported")
                    .arg(path, printable(batch.header.deviceId.left(100))));
            return kExitRefused;
        }
        {
            if (device->isRevoked()) {
                err(QStringLiteral("%1: device %2 is revoked; nothing imported").arg(path, device->id));
                return kExitRefused;
            }
            for (const QString &cs : batch.caseStudies()) {
                if (!device->caseStudies.contains(cs)) {
                    err(QStringLiteral("%1: device %2 is not enrolled in case study %3; nothing imported").arg(path, device->id, cs));
                    return kExitRefused;
                }
            }
        }
        const MergeResult result = store.mergeBatch(batch, raw, QStringLiteral("usb"), QDateTime::currentDateTimeUtc());
        out(QStringLiteral("%1: batch %2 from device %3 (sequence %4): %5 responses, %6 contacts: "
                           "%7 accepted, %8 duplicate, %9 conflict, %10 rejected")
                .arg(path, batch.header.batchUuid, batch.header.deviceId)
                .arg(batch.header.sequence)
                .arg(batch.responses.size())
                .arg(batch.contacts.size())
                .arg(result.count(MergeOutcome::Accepted))
                .arg(result.count(MergeOutcome::Duplicate))
                .arg(result.count(MergeOutcome::Conflict))
                .arg(result.count(MergeOutcome::Rejected))
            + (result.replayed ? QStringLiteral(" (imported before; nothing changed)") : QString()));
        for (const ItemResult &r : result.responses) {
            if (r.outcome == MergeOutcome::Conflict)
                out(QStringLiteral("  conflict: response %1: %2").arg(printable(r.uuid), printable(r.reason)));
        }
        // Each refusal with its reason (it names the item and the field, never an answer).
        for (const ItemResult &r : result.responses + result.contacts) {
            if (r.outcome == MergeOutcome::Rejected)
                err(QStringLiteral("%1: rejected: %2").arg(path, printable(r.reason)));
        }
        return result.count(MergeOutcome::Rejected) > 0 ? kExitRefused : kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("%1: %2; nothing imported").arg(path, e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    }
}

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db")}, {}, kUsage, &args))
        return kExitUsage;
    if (args.positional.isEmpty()) {
        err(kUsage);
        return kExitUsage;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    int worst = kExitOk;
    for (const QString &path : args.positional)
        worst = std::max(worst, importFile(*store, path));
    return worst;
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("import"), QStringLiteral("merge USB batch files into the collector"), &run, kUsage}};

} // namespace
