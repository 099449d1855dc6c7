// SPDX-License-Identifier: Apache-2.0
// `kerbside conflicts`: responses and contacts received twice at the same revision with
// different content. Both versions are kept; this lists them for the coordinator.
#include "collectorcli.h"

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral("usage: kerbside conflicts --db PATH [--case-study ID]");

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
        const QList<ConflictRecord> all = store->conflicts(args.value(QStringLiteral("case-study")));
        out(QStringLiteral("%1 open conflict(s)").arg(all.size()));
        for (const ConflictRecord &c : all) {
            // Names of what differs, never the answers themselves.
            out(QStringLiteral("%1 %2  case study %3  revision %4  kept: batch %5 (device %6)  other: batch %7 (device %8)  differs in: %9")
                    .arg(c.kind, c.uuid, c.caseStudy)
                    .arg(c.revision)
                    .arg(c.keptBatch, c.keptDevice, c.otherBatch, c.otherDevice, c.differences.join(QStringLiteral(", "))));
        }
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside conflicts: %1").arg(e.message()));
        return kExitDatabase;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("conflicts"), QStringLiteral("list same-revision conflicts for the coordinator"), &run, kUsage}};

} // namespace
