// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the fieldwork plan's readers: GeoJSON areas (geo::GeoJsonReader), CSV
// tables (CsvTable, for quota targets and margins) and a plan's JSON as a tablet receives it
// (quota::Plan::fromJson). None may crash, hang or read out of bounds on any input; whatever
// GeoJSON is accepted must answer point-in-polygon and distance queries.
#include "geo/geojsonreader.h"
#include "quota/csvtable.h"
#include "quota/quotaplan.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    kerbside::geo::GeoJsonProblem problem;
    if (const auto area = kerbside::geo::GeoJsonReader::read(bytes, &problem)) {
        area->contains({0.5, 0.5});
        area->distanceToBoundary({-2.2, 53.4});
    }
    QString error;
    kerbside::CsvTable::parse(bytes, &error);
    const kerbside::quota::Plan plan = kerbside::quota::Plan::fromJson(bytes);
    plan.cellOf([](const QString &) { return QStringLiteral("a"); }, QDateTime::currentDateTimeUtc());
    return 0;
}
