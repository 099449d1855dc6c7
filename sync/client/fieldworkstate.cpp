// SPDX-License-Identifier: Apache-2.0
#include "fieldworkstate.h"

#include "jsonnumber.h"

#include "geo/geojsonreader.h"
#include "kerbside/v1/sync.pb.h"
#include "store/devicestore.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>

namespace kerbside {

namespace {

QString key(const QString &caseStudy, const char *what)
{
    return QStringLiteral("fieldwork.%1.%2").arg(caseStudy, QLatin1String(what));
}

void storeCounts(DeviceStore &store, const v1::QuotaCounts &counts, const QDateTime &asOf)
{
    const QString cs = QString::fromStdString(counts.case_study());
    if (cs.isEmpty() || counts.cells_size() != counts.achieved_size())
        return;
    const QJsonObject held = QJsonDocument::fromJson(store.setting(key(cs, "counts")).toUtf8()).object();
    if (jsonWholeNumber(held.value(QLatin1String("as_of_ms"))) > asOf.toMSecsSinceEpoch())
        return; // newer figures already held
    QJsonObject cells;
    for (int i = 0; i < counts.cells_size(); ++i)
        cells.insert(QString::fromStdString(counts.cells(i)), qint64(counts.achieved(i)));
    const QJsonObject o{{QStringLiteral("as_of_ms"), asOf.toMSecsSinceEpoch()},
                        {QStringLiteral("plan_version"), qint64(counts.plan_version())},
                        {QStringLiteral("cells"), cells}};
    store.setSetting(key(cs, "counts"), QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
}

// The one walk behind Home's unsynced counts and the unsynced report: this tablet's complete
// interviews the collector has not acknowledged (of `caseStudy`, or all when empty), the
// earliest ended first, at most `limit`, each with the cell its answers fix under
// `planOf(its case study)` ("" without a plan for its form), judged as the collector's merge
// judges it: in the UTC offset recorded with the start. Reads answers only of those.
QList<UnsyncedCell> unsyncedCells(const DeviceStore &store, const QString &caseStudy, int limit,
                                  const std::function<const quota::Plan *(const QString &)> &planOf)
{
    QList<ResponseMeta> metas = store.responses({ResponseStatus::Complete}, caseStudy); // newest first
    metas.removeIf([](const ResponseMeta &m) { return m.synced; });
    std::reverse(metas.begin(), metas.end());
    std::stable_sort(metas.begin(), metas.end(),
                     [](const ResponseMeta &a, const ResponseMeta &b) { return a.ended < b.ended; });
    if (metas.size() > limit)
        metas.resize(std::max(0, limit));
    QList<UnsyncedCell> out;
    out.reserve(metas.size());
    for (const ResponseMeta &m : metas) {
        QString cell;
        const quota::Plan *plan = planOf(m.caseStudy);
        if (plan && !plan->isEmpty() && plan->formId == m.formId) {
            const std::optional<Response> r = store.response(m.uuid);
            if (r)
                cell = plan->cellOf([&](const QString &q) { return r->answers.value(q); }, m.started, m.startedUtcOffset);
        }
        out.append({m.uuid, m.caseStudy, cell});
    }
    return out;
}

} // namespace

void rememberQuotaCounts(DeviceStore &store, const v1::BatchAck &ack)
{
    const QDateTime asOf = QDateTime::fromMSecsSinceEpoch(ack.received_ms(), Qt::UTC);
    for (const v1::QuotaCounts &c : ack.quota_counts())
        storeCounts(store, c, asOf);
}

void rememberFieldworkPlans(DeviceStore &store, const v1::FormManifest &manifest, const QDateTime &asOf)
{
    for (const v1::FieldworkPlan &p : manifest.plans()) {
        const QString cs = QString::fromStdString(p.case_study());
        if (cs.isEmpty())
            continue;
        store.setSetting(key(cs, "plan"), QString::fromStdString(p.quota_plan()));
        const QJsonObject area{{QStringLiteral("version"), qint64(p.area_version())},
                               {QStringLiteral("geojson"), QString::fromStdString(p.area_geojson())}};
        store.setSetting(key(cs, "area"), QString::fromUtf8(QJsonDocument(area).toJson(QJsonDocument::Compact)));
        if (p.has_counts())
            storeCounts(store, p.counts(), asOf);
    }
}

DeviceFieldwork deviceFieldwork(const DeviceStore &store, const QString &caseStudy)
{
    DeviceFieldwork f;
    f.caseStudy = caseStudy;
    const QString plan = store.setting(key(caseStudy, "plan"));
    if (!plan.isEmpty()) {
        quota::Plan p = quota::Plan::fromJson(plan.toUtf8());
        if (!p.isEmpty())
            f.plan = p;
    }
    const QJsonObject area = QJsonDocument::fromJson(store.setting(key(caseStudy, "area")).toUtf8()).object();
    f.areaVersion = area.value(QLatin1String("version")).toInt();
    f.areaGeojson = area.value(QLatin1String("geojson")).toString().toUtf8();
    const QJsonObject counts = QJsonDocument::fromJson(store.setting(key(caseStudy, "counts")).toUtf8()).object();
    if (!counts.isEmpty()) {
        f.countsAsOf = QDateTime::fromMSecsSinceEpoch(jsonWholeNumber(counts.value(QLatin1String("as_of_ms"))), Qt::UTC);
        f.countsPlanVersion = jsonWholeNumber(counts.value(QLatin1String("plan_version")));
        const QJsonObject cells = counts.value(QLatin1String("cells")).toObject();
        for (auto it = cells.constBegin(); it != cells.constEnd(); ++it)
            f.collectorCounts.insert(it.key(), jsonWholeNumber(it.value()));
    }
    return f;
}

QMap<QString, qint64> unsyncedQuotaCounts(const DeviceStore &store, const quota::Plan &plan)
{
    QMap<QString, qint64> counts;
    if (plan.isEmpty())
        return counts;
    const QList<UnsyncedCell> held = unsyncedCells(store, plan.caseStudy, std::numeric_limits<int>::max(),
                                                   [&](const QString &) { return &plan; });
    for (const UnsyncedCell &u : held)
        if (!u.cell.isEmpty())
            ++counts[u.cell];
    return counts;
}

QMap<QString, qint64> knownQuotaCounts(const DeviceStore &store, const DeviceFieldwork &fieldwork)
{
    if (!fieldwork.plan)
        return {};
    QMap<QString, qint64> counts = fieldwork.collectorCounts;
    const QMap<QString, qint64> mine = unsyncedQuotaCounts(store, *fieldwork.plan);
    for (auto it = mine.constBegin(); it != mine.constEnd(); ++it)
        counts[it.key()] += it.value();
    return counts;
}

DeviceArea deviceArea(const DeviceStore &store, const QString &caseStudy)
{
    DeviceArea out;
    const DeviceFieldwork f = deviceFieldwork(store, caseStudy);
    if (f.areaVersion <= 0 || f.areaGeojson.isEmpty())
        return out;
    // The collector checked this GeoJSON when it was stored; a copy damaged since is no area.
    geo::GeoJsonProblem problem;
    std::optional<geo::Area> area = geo::GeoJsonReader::read(f.areaGeojson, &problem);
    if (!area || area->isEmpty())
        return out;
    out.area = std::make_shared<const geo::Area>(std::move(*area));
    out.version = f.areaVersion;
    return out;
}

QList<UnsyncedCell> unsyncedCompletes(const DeviceStore &store, int limit)
{
    std::map<QString, std::optional<quota::Plan>> plans; // each case study's, read once
    return unsyncedCells(store, {}, limit, [&](const QString &caseStudy) -> const quota::Plan * {
        auto it = plans.find(caseStudy);
        if (it == plans.end())
            it = plans.emplace(caseStudy, deviceFieldwork(store, caseStudy).plan).first;
        return it->second ? &*it->second : nullptr;
    });
}

} // namespace kerbside
