// SPDX-License-Identifier: Apache-2.0
// `kerbside conflicts`: responses and contacts received twice at the same revision with
// different content. Both versions are kept; this lists them for the coordinator.
// `kerbside refusals`: responses and contacts the collector refused (OUTCOME_REJECTED): another
// device's revision, a form not published, an answer the form does not allow, ... The item is
// not stored; its device keeps it and shows the reason.
#include "collectorcli.h"

#include <functional>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

// Both listings: `kerbside NAME --db PATH [--case-study ID]`, then `list` on the open store.
int runListing(const QStringList &argv, const QString &name,
               const std::function<void(CollectorStore &, const QString &caseStudy)> &list)
{
    const QString usage = QStringLiteral("usage: kerbside %1 --db PATH [--case-study ID]").arg(name);
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db"), QStringLiteral("case-study")}, {}, usage, &args))
        return kExitUsage;
    if (!args.positional.isEmpty()) {
        err(usage);
        return kExitUsage;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, usage);
    if (!store)
        return kExitDatabase;
    try {
        list(*store, args.value(QStringLiteral("case-study")));
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside %1: %2").arg(name, e.message()));
        return kExitDatabase;
    }
}

int runConflicts(const QStringList &argv)
{
    return runListing(argv, QStringLiteral("conflicts"), [](CollectorStore &store, const QString &caseStudy) {
        const QList<ConflictRecord> all = store.conflicts(caseStudy);
        out(QStringLiteral("%1 open conflict(s)").arg(all.size()));
        for (const ConflictRecord &c : all) {
            // Names of what differs, never the answers themselves.
            out(QStringLiteral("%1 %2  case study %3  revision %4  kept: batch %5 (device %6)  other: batch %7 (device %8)  differs in: %9")
                    .arg(c.kind, printable(c.uuid), printable(c.caseStudy))
                    .arg(c.revision)
                    .arg(printable(c.keptBatch), printable(c.keptDevice), printable(c.otherBatch), printable(c.otherDevice),
                         printable(c.differences.join(QStringLiteral(", ")))));
        }
    });
}

int runRefusals(const QStringList &argv)
{
    return runListing(argv, QStringLiteral("refusals"), [](CollectorStore &store, const QString &caseStudy) {
        const QList<RefusalRecord> all = store.refusals(caseStudy);
        out(QStringLiteral("%1 refused item(s)").arg(all.size()));
        for (const RefusalRecord &r : all) {
            // The reason names the item and the field, never an answer.
            out(QStringLiteral("%1  %2 %3  case study %4  from device %5 (batch %6): %7")
                    .arg(timeText(r.detected), r.kind, printable(r.uuid), printable(r.caseStudy), printable(r.deviceId),
                         printable(r.batchUuid), printable(r.reason)));
        }
    });
}

const kerbside::cli::CommandRegistration conflicts{
    {QStringLiteral("conflicts"), QStringLiteral("list same-revision conflicts for the coordinator"), &runConflicts,
     QStringLiteral("usage: kerbside conflicts --db PATH [--case-study ID]")}};
const kerbside::cli::CommandRegistration refusals{
    {QStringLiteral("refusals"), QStringLiteral("list responses and contacts the collector refused"), &runRefusals,
     QStringLiteral("usage: kerbside refusals --db PATH [--case-study ID]")}};

} // namespace
