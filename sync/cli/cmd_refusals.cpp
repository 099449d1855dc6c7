// SPDX-License-Identifier: Apache-2.0
// `kerbside refusals`: responses and contacts the collector refused (OUTCOME_REJECTED): another
// device's revision, a form not published, an answer the form does not allow, ... The item
// is not stored; its device keeps it and shows the reason. This lists them for the coordinator.
#include "collectorcli.h"

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral("usage: kerbside refusals --db PATH [--case-study ID]");

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db"), QStringLiteral("case-study")}, {}, kUsage, &args))
        return kExitUsage;
    if (!args.positional.isEmpty()) {
        err(kUsage);
        return kExitUsage;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    try {
        const QList<RefusalRecord> all = store->refusals(args.value(QStringLiteral("case-study")));
        out(QStringLiteral("%1 refused item(s)").arg(all.size()));
        for (const RefusalRecord &r : all) {
            // The reason names the item and the field, never an answer.
            out(QStringLiteral("%1  %2 %3  case study %4  from device %5 (batch %6): %7")
                    .arg(timeText(r.detected), r.kind, r.uuid, r.caseStudy, r.deviceId, r.batchUuid, r.reason));
        }
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside refusals: %1").arg(e.message()));
        return kExitDatabase;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("refusals"), QStringLiteral("list responses and contacts the collector refused"), &run}};

} // namespace
