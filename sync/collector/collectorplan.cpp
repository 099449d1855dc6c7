// SPDX-License-Identifier: Apache-2.0
// CollectorStore: the fieldwork plan (areas, quotas, population margins) and the quota
// counters kept at merge. The storage primitives are in sqliteplanstore.cpp and
// postgresplanstore.cpp.
#include "collectorstore.h"

#include "geo/geojsonreader.h"

#include <algorithm>

namespace kerbside {

namespace {

void requireCaseStudy(const QStringList &missing, const QString &caseStudy)
{
    if (!missing.isEmpty())
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown case study %1").arg(caseStudy));
}

QString answerIn(const QList<TypedAnswer> &answers, const QString &question)
{
    for (const TypedAnswer &a : answers) {
        if (a.question == question)
            return a.value;
    }
    return {};
}

} // namespace

void CollectorStore::lockPlan(const QString &, bool)
{
}

int CollectorStore::setCaseStudyArea(const QString &caseStudy, const QByteArray &geojson, const QString &fileName)
{
    geo::GeoJsonProblem problem;
    if (!geo::GeoJsonReader::read(geojson, &problem))
        throw CollectorError(CollectorError::Code::Invalid, problem.text(fileName));
    std::lock_guard lock(m_mutex);
    beginWrite();
    try {
        requireCaseStudy(missingCaseStudies({caseStudy}), caseStudy);
        const int version = writeArea(caseStudy, geojson, QDateTime::currentDateTimeUtc());
        regrid(caseStudy); // the dashboard's inside/outside counts follow the new boundary
        commitWrite();
        return version;
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

QList<AreaRecord> CollectorStore::caseStudyAreas(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    return storedAreas(caseStudy);
}

quota::Plan CollectorStore::setQuotaPlan(quota::Plan plan)
{
    std::lock_guard lock(m_mutex); // no merge of this collector runs meanwhile
    beginWrite();
    try {
        requireCaseStudy(missingCaseStudies({plan.caseStudy}), plan.caseStudy);
        // Merges of other collectors (PostgreSQL) finish before this lock is granted and wait
        // for this transaction before they read the plan: the recount below sees every merge
        // counted under the old plan and none counts under the old plan after it.
        lockPlan(plan.caseStudy, true);
        const std::optional<QByteArray> previous = storedPlan(plan.caseStudy);
        plan.version = previous ? quota::Plan::fromJson(*previous).version + 1 : 1;
        plan.created = QDateTime::currentDateTimeUtc();
        QMap<QString, qint64> counts;
        for (const QString &cell : plan.cells())
            counts.insert(cell, 0);
        // The one scan: counters start from what is merged already (a snapshot taken now,
        // after the lock; it reads through its own connection).
        forEachResponse(plan.caseStudy, [&](const StoredResponse &r) {
            if (r.meta.status != ResponseStatus::Complete || r.meta.formId != plan.formId)
                return true;
            const QString cell =
                plan.cellOf([&](const QString &q) { return answerIn(r.answers, q); }, r.meta.started, r.meta.startedUtcOffset);
            if (!cell.isEmpty())
                ++counts[cell];
            return true;
        });
        writePlan(plan.caseStudy, plan.toJson(), counts);
        commitWrite();
        return plan;
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

std::optional<quota::Plan> CollectorStore::quotaPlan(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    const std::optional<QByteArray> json = storedPlan(caseStudy);
    if (!json)
        return std::nullopt;
    quota::Plan plan = quota::Plan::fromJson(*json);
    plan.caseStudy = caseStudy;
    return plan;
}

void CollectorStore::setPopulationMargin(const QString &caseStudy, const QString &question,
                                         const QMap<QString, double> &shares)
{
    std::lock_guard lock(m_mutex);
    beginWrite();
    try {
        requireCaseStudy(missingCaseStudies({caseStudy}), caseStudy);
        writeMargin(caseStudy, question, shares);
        commitWrite();
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

QList<quota::Margin> CollectorStore::populationMargins(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    return storedMargins(caseStudy);
}

QList<QuotaStatus> CollectorStore::quotaStatus(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    const QStringList ids = caseStudy.isEmpty() ? plannedCaseStudies() : QStringList{caseStudy};
    QList<QuotaStatus> out;
    for (const QString &id : ids) {
        const std::optional<QByteArray> json = storedPlan(id);
        if (!json) {
            throw CollectorError(CollectorError::Code::NotFound,
                                 missingCaseStudies({id}).isEmpty()
                                     ? QStringLiteral("case study %1 has no quotas (kerbside quota set)").arg(id)
                                     : QStringLiteral("unknown case study %1").arg(id));
        }
        QuotaStatus s;
        s.caseStudy = id;
        s.plan = quota::Plan::fromJson(*json);
        s.plan.caseStudy = id;
        const QMap<QString, qint64> counts = storedCounts(id);
        const QMap<QString, qint64> unsynced = storedUnsynced(id);
        for (const QString &cell : s.plan.cells()) {
            QuotaCellStatus c;
            c.cell = cell;
            c.parts = quota::Plan::cellParts(cell);
            c.target = s.plan.targets.value(cell);
            c.achieved = counts.value(cell);
            c.unsynced = unsynced.value(cell);
            s.totalUnsynced += c.unsynced;
            s.totalTarget += c.target;
            s.totalAchieved += c.achieved;
            s.totalRemaining += c.remaining();
            s.cells.append(c);
        }
        // Most needed first; among equals, the plan's order.
        std::stable_sort(s.cells.begin(), s.cells.end(), [](const QuotaCellStatus &a, const QuotaCellStatus &b) {
            return a.remaining() > b.remaining();
        });
        out.append(s);
    }
    return out;
}

void CollectorStore::recordDeviceReport(const QString &deviceId, const QList<UnsyncedComplete> &items)
{
    if (items.size() > kMaxUnsynced)
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("the report lists %1 interviews, over the limit of %2").arg(items.size()).arg(kMaxUnsynced));
    const std::optional<DeviceRecord> device = this->device(deviceId); // takes the mutex itself
    if (!device)
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown device %1").arg(deviceId));
    for (qsizetype i = 0; i < items.size(); ++i) {
        const UnsyncedComplete &u = items[i];
        if (!device->caseStudies.contains(u.caseStudy))
            throw CollectorError(CollectorError::Code::Invalid,
                                 QStringLiteral("report item %1: case study %2 is not one of this device's").arg(i).arg(u.caseStudy));
        if (u.uuid.isEmpty() || u.uuid.size() > 64 || u.cell.size() > 1000)
            throw CollectorError(CollectorError::Code::Invalid,
                                 QStringLiteral("report item %1: the uuid or cell is empty or too long").arg(i));
    }
    // A UUID listed twice counts once, with its last cell.
    QList<UnsyncedComplete> distinct;
    QHash<QString, qsizetype> at;
    for (const UnsyncedComplete &u : items) {
        const auto it = at.constFind(u.uuid);
        if (it != at.constEnd()) {
            distinct[*it] = u;
        } else {
            at.insert(u.uuid, distinct.size());
            distinct.append(u);
        }
    }
    std::lock_guard lock(m_mutex);
    beginWrite();
    try {
        writeDeviceReport(deviceId, distinct, QDateTime::currentDateTimeUtc());
        commitWrite();
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

// --- counters kept at merge ------------------------------------------------------------------

const quota::Plan *CollectorStore::mergePlan(const QString &caseStudy)
{
    auto it = m_tally.plans.find(caseStudy);
    if (it == m_tally.plans.end()) {
        lockPlan(caseStudy, false);
        std::optional<quota::Plan> plan;
        if (const std::optional<QByteArray> json = storedPlan(caseStudy))
            plan = quota::Plan::fromJson(*json);
        it = m_tally.plans.insert(caseStudy, plan);
    }
    return it->has_value() ? &**it : nullptr;
}

QString CollectorStore::cellOf(const QString &caseStudy, const QString &formId, ResponseStatus status,
                               const QDateTime &started, std::optional<int> utcOffset,
                               const QList<TypedAnswer> &answers)
{
    const quota::Plan *plan = mergePlan(caseStudy);
    if (!plan || status != ResponseStatus::Complete || formId != plan->formId)
        return {};
    return plan->cellOf([&](const QString &q) { return answerIn(answers, q); }, started, utcOffset);
}

void CollectorStore::tally(const QString &caseStudy, const QString &cell, qint64 delta)
{
    if (!cell.isEmpty())
        m_tally.deltas[caseStudy][cell] += delta;
}

void CollectorStore::flushTally()
{
    for (auto it = m_tally.deltas.begin(); it != m_tally.deltas.end(); ++it) {
        it->removeIf([](const auto &cell) { return cell.value() == 0; });
        if (!it->isEmpty())
            addCounts(it.key(), *it);
    }
    m_tally.deltas.clear(); // the plans stay: ackQuotaCounts() reads them
}

QList<CollectorStore::AckQuotaCounts> CollectorStore::ackQuotaCounts()
{
    QList<AckQuotaCounts> out;
    for (auto it = m_tally.plans.constBegin(); it != m_tally.plans.constEnd(); ++it) {
        if (!it->has_value())
            continue;
        AckQuotaCounts q{it.key(), (*it)->version, {}};
        const QMap<QString, qint64> stored = storedCounts(it.key());
        for (const QString &cell : (*it)->cells())
            q.achieved.insert(cell, stored.value(cell));
        out.append(q);
    }
    std::sort(out.begin(), out.end(), [](const AckQuotaCounts &a, const AckQuotaCounts &b) { return a.caseStudy < b.caseStudy; });
    return out;
}

} // namespace kerbside
