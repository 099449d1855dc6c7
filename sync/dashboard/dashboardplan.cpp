// SPDX-License-Identifier: Apache-2.0
// Dashboard: the fieldwork plan on the pages (i12's quotas and areas), time slots and the
// per-question times from paradata. Read-only helpers of the handlers in dashboardapi.cpp.
#include "dashboard.h"
#include "questiontimes.h"
#include "tally.h"

#include "collectorstore.h"
#include "quota/quotaprogress.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace kerbside::dashboard {

std::shared_ptr<const Form> Dashboard::planForm(const quota::Plan &plan)
{
    QString newest;
    QDateTime when;
    for (const PublishedFormRecord &f : m_store.forms({plan.caseStudy})) {
        if (f.formId == plan.formId && (newest.isEmpty() || f.published >= when)) {
            newest = f.version;
            when = f.published;
        }
    }
    if (newest.isEmpty())
        return nullptr;
    const std::shared_ptr<const ResponseRules> rules = m_forms.find(plan.formId, newest, plan.caseStudy);
    return rules ? std::shared_ptr<const Form>(rules, &rules->form()) : nullptr; // shares the rules' ownership
}

QJsonObject Dashboard::quotaJson(const QuotaStatus &s)
{
    const std::shared_ptr<const Form> form = planForm(s.plan);
    QJsonArray cells, dimensions;
    for (const quota::Dimension &d : s.plan.dimensions)
        dimensions.append(d.name);
    for (const QuotaCellStatus &c : s.cells) { // most needed first
        if (c.target <= 0)
            continue;
        cells.append(QJsonObject{{QStringLiteral("cell"), c.cell},
                                 {QStringLiteral("label"), form ? quota::cellLabel(c.cell, *form) : c.cell},
                                 {QStringLiteral("target"), c.target}, {QStringLiteral("achieved"), c.achieved},
                                 {QStringLiteral("remaining"), c.remaining()}});
    }
    return QJsonObject{{QStringLiteral("mode"), quota::modeName(s.plan.mode)}, {QStringLiteral("version"), s.plan.version},
                       {QStringLiteral("form"), s.plan.formId}, {QStringLiteral("dimensions"), dimensions},
                       {QStringLiteral("totalTarget"), s.totalTarget}, {QStringLiteral("totalAchieved"), s.totalAchieved},
                       {QStringLiteral("totalRemaining"), s.totalRemaining}, {QStringLiteral("cells"), cells}};
}

QHash<QString, QJsonObject> Dashboard::quotas(const QStringList &caseStudies)
{
    QHash<QString, QJsonObject> out;
    for (const QuotaStatus &s : m_store.quotaStatus()) {
        if (caseStudies.contains(s.caseStudy))
            out.insert(s.caseStudy, quotaJson(s));
    }
    return out;
}

QJsonValue Dashboard::areaJson(const QString &caseStudy)
{
    const QList<AreaRecord> areas = m_store.caseStudyAreas(caseStudy);
    if (areas.isEmpty())
        return QJsonValue();
    // The newest version is the boundary drawn; points are judged against the one current
    // when they started (AreaHistory).
    return QJsonObject{{QStringLiteral("version"), areas.last().version},
                       {QStringLiteral("geojson"), QJsonDocument::fromJson(areas.last().geojson).object()}};
}

QHash<QString, AreaHistory> Dashboard::areaHistories(const QStringList &caseStudies)
{
    QHash<QString, AreaHistory> out;
    for (const QString &cs : caseStudies)
        out.insert(cs, AreaHistory(m_store.caseStudyAreas(cs)));
    return out;
}

QMap<QPair<QString, QString>, Dashboard::PlaceCount> Dashboard::placeCounts(const QStringList &caseStudies)
{
    const QHash<QString, AreaHistory> areas = areaHistories(caseStudies);
    QMap<QPair<QString, QString>, PlaceCount> out;
    for (const InterviewPlace &p : m_store.interviewPlaces(caseStudies)) {
        PlaceCount &c = out[{p.caseStudy, p.enumerator}];
        const auto a = areas.constFind(p.caseStudy);
        const bool fix = std::isfinite(p.latitude) && std::isfinite(p.longitude);
        if (!fix)
            ++c.noFix;
        else if (a == areas.constEnd() || a->isEmpty())
            ++c.noArea;
        else if (a->judge(p.started, p.latitude, p.longitude) == AreaHistory::Place::Inside)
            ++c.inside;
        else
            ++c.outside;
    }
    return out;
}

QJsonObject Dashboard::PlaceCount::toJson() const
{
    return QJsonObject{{QStringLiteral("inside"), inside}, {QStringLiteral("outside"), outside},
                       {QStringLiteral("noFix"), noFix}, {QStringLiteral("noArea"), noArea}};
}

QJsonObject Dashboard::timeSlots(const QString &caseStudy)
{
    // The zone of the quota plan's @timeslot, else the collector's (as `kerbside quota set`).
    QTimeZone zone = QTimeZone::systemTimeZone();
    if (const std::optional<quota::Plan> plan = m_store.quotaPlan(caseStudy); plan && !plan->timeZone.isEmpty())
        zone = QTimeZone(plan->timeZone);
    QMap<QString, Tally> bySlot;
    for (const StartCount &c : m_store.startCounts(caseStudy)) {
        const QString slot = quota::timeslotOf(QDateTime::fromMSecsSinceEpoch(c.quarterHour * 900000, Qt::UTC), zone);
        bySlot[slot.isEmpty() ? QStringLiteral("night") : slot].add(c.status, c.n);
    }
    QJsonArray rows;
    const QStringList slotNames = quota::timeslotNames() << QStringLiteral("night");
    for (const QString &slot : slotNames) {
        QJsonObject o = bySlot.value(slot).toJson();
        o.insert(QStringLiteral("slot"), slot);
        rows.append(o);
    }
    return QJsonObject{{QStringLiteral("timeZone"), QString::fromUtf8(zone.id())}, {QStringLiteral("slots"), rows}};
}

QMap<QString, Dashboard::QuestionTimes> Dashboard::questionTimes(const QStringList &caseStudies, double fastSeconds,
                                                                 QSet<QString> *fastInterviews)
{
    QMap<QString, QList<double>> medians;
    QMap<QString, QuestionTimes> out;
    for (const InterviewPaging &p : m_store.interviewPagings(caseStudies)) {
        const double s = medianQuestionSeconds(p);
        if (std::isnan(s))
            continue;
        medians[p.enumerator].append(s);
        if (s < fastSeconds) {
            ++out[p.enumerator].fast;
            if (fastInterviews)
                fastInterviews->insert(p.uuid);
        }
    }
    for (auto it = medians.begin(); it != medians.end(); ++it) {
        std::sort(it->begin(), it->end());
        QuestionTimes &t = out[it.key()];
        t.interviews = it->size();
        t.medianSeconds = (*it)[it->size() / 2];
    }
    return out;
}

} // namespace kerbside::dashboard
