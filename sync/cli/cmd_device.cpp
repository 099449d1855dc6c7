// SPDX-License-Identifier: Apache-2.0
// `kerbside device list|revoke`: the enrolled tablets, their last sync and counts.
#include "collectorcli.h"

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside device list --db PATH\n"
    "       kerbside device revoke DEVICE_ID --db PATH");

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db")}, {}, kUsage, &args))
        return kExitUsage;
    const QString action = args.positional.value(0);
    if (!((action == QLatin1String("revoke") && args.positional.size() == 2)
          || (action == QLatin1String("list") && args.positional.size() == 1))) {
        err(kUsage);
        return kExitUsage;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    try {
        if (action == QLatin1String("revoke")) {
            const QString id = args.positional.at(1);
            store->revokeDevice(id, QDateTime::currentDateTimeUtc());
            out(QStringLiteral("device %1 revoked: its token is refused from now on").arg(id));
            return kExitOk;
        }
        const QList<DeviceRecord> all = store->devices();
        if (all.isEmpty())
            out(QStringLiteral("no devices enrolled yet (kerbside enrol --case-study ID --db PATH)"));
        for (const DeviceRecord &d : all) {
            QString line = QStringLiteral("%1  %2  case studies: %3  last sync: %4  batches: %5  responses: %6  contacts: %7")
                               .arg(d.id, d.label.isEmpty() ? QStringLiteral("-") : d.label,
                                    d.caseStudies.join(QLatin1Char(',')), timeText(d.lastBatch))
                               .arg(d.batches).arg(d.responses).arg(d.contacts);
            if (d.missingSequences > 0)
                line += QStringLiteral("  missing batches: %1 (below sequence %2)").arg(d.missingSequences).arg(d.lastSequence);
            if (d.isRevoked())
                line += QStringLiteral("  REVOKED %1").arg(timeText(d.revoked));
            out(line);
        }
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside device: %1").arg(e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("device"), QStringLiteral("list enrolled devices or revoke one"), &run, kUsage}};

} // namespace
