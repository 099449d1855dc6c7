// SPDX-License-Identifier: Apache-2.0
// `kerbside device list|revoke|link`: the enrolled tablets, their last sync and counts; linking
// a re-enrolled tablet's old identity to its new one.
#include "collectorcli.h"

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside device list --db PATH\n"
    "       kerbside device revoke DEVICE_ID --db PATH\n"
    "       kerbside device link OLD_DEVICE_ID NEW_DEVICE_ID --db PATH\n"
    "link: the tablet enrolled as OLD was enrolled again as NEW; NEW may send and revise what OLD recorded.");

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db")}, {}, kUsage, &args))
        return kExitUsage;
    const QString action = args.positional.value(0);
    if (!((action == QLatin1String("revoke") && args.positional.size() == 2)
          || (action == QLatin1String("link") && args.positional.size() == 3)
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
        if (action == QLatin1String("link")) {
            const QString oldId = args.positional.at(1);
            const QString newId = args.positional.at(2);
            store->linkDevice(oldId, newId, QDateTime::currentDateTimeUtc());
            out(QStringLiteral("device %1 linked to %2: %2 may now send and revise what %1 recorded").arg(oldId, newId));
            return kExitOk;
        }
        QHash<QString, QString> linkedTo;
        for (const DeviceLinkRecord &l : store->deviceLinks())
            linkedTo.insert(l.oldDevice, l.newDevice);
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
            if (linkedTo.contains(d.id))
                line += QStringLiteral("  re-enrolled as %1").arg(linkedTo.value(d.id));
            out(line);
        }
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside device: %1").arg(e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("device"), QStringLiteral("list enrolled devices, revoke one or link a re-enrolled one"), &run, kUsage}};

} // namespace
