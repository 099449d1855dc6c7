// SPDX-License-Identifier: Apache-2.0
// `kerbside casestudy add|list`: the case studies a collector gathers responses for.
#include "collectorcli.h"

#include "geo/geojsonreader.h"

#include <QFile>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside casestudy add ID --name NAME --db PATH\n"
    "       kerbside casestudy list --db PATH\n"
    "       kerbside casestudy area ID --geojson FILE --db PATH   (a new version of its boundary:\n"
    "         a WGS84 GeoJSON Polygon or MultiPolygon; interviews are judged by the version current\n"
    "         when they started)");

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db"), QStringLiteral("name"), QStringLiteral("geojson")}, {}, kUsage, &args))
        return kExitUsage;
    const QString action = args.positional.value(0);
    if (!((action == QLatin1String("add") && args.positional.size() == 2)
          || (action == QLatin1String("area") && args.positional.size() == 2 && args.has(QStringLiteral("geojson")))
          || (action == QLatin1String("list") && args.positional.size() == 1))) {
        err(kUsage);
        return kExitUsage;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    try {
        if (action == QLatin1String("add")) {
            const QString id = args.positional.at(1);
            store->addCaseStudy(id, args.value(QStringLiteral("name"), id));
            out(QStringLiteral("case study %1 added").arg(id));
            return kExitOk;
        }
        if (action == QLatin1String("area")) {
            const QString id = args.positional.at(1);
            const QString path = args.value(QStringLiteral("geojson"));
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                err(QStringLiteral("kerbside casestudy: %1: %2").arg(path, file.errorString()));
                return kExitRefused;
            }
            const int version = store->setCaseStudyArea(id, file.read(geo::GeoJsonReader::kMaxBytes + 1), path);
            out(QStringLiteral("area of %1 stored as version %2").arg(id).arg(version));
            return kExitOk;
        }
        const QList<CaseStudyRecord> all = store->caseStudies();
        if (all.isEmpty())
            out(QStringLiteral("no case studies yet (kerbside casestudy add ID --name NAME --db PATH)"));
        for (const CaseStudyRecord &cs : all)
            out(QStringLiteral("%1  %2  (%3 responses, %4 contacts)")
                    .arg(cs.id, cs.name).arg(store->responseCount(cs.id)).arg(store->contactCount(cs.id)));
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside casestudy: %1").arg(e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("casestudy"), QStringLiteral("add or list case studies, set their areas"), &run, kUsage}};

} // namespace
