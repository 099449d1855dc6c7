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
#include <map>

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
    // Judged at merge against the area version current at the start (AreaHistory's rule),
    // re-judged when an area is set: counters, not a pass over the interviews.
    QMap<QPair<QString, QString>, PlaceCount> out;
    for (const PlaceCountRow &p : m_store.placeCounts(caseStudies)) {
        PlaceCount &c = out[{p.caseStudy, p.enumerator}];
        (p.place == 0 ? c.inside : p.place == 1 ? c.outside : p.place == 2 ? c.noFix : c.noArea) += p.n;
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

QMap<QString, Dashboard::QuestionTimes> Dashboard::questionTimes(const QStringList &caseStudies, double fastSeconds)
{
    // From the counters kept at merge: each interview's median question time in buckets of
    // 0.1 s (1 s above a minute), so a threshold in tenths of a second is counted exactly.
    const qint64 fastMs = qint64(std::llround(fastSeconds * 1000));
    QMap<QString, std::map<qint64, QuestionCountRow>> buckets;
    QMap<QString, QuestionTimes> out;
    for (const QuestionCountRow &c : m_store.questionCounts(caseStudies)) {
        QuestionCountRow &b = buckets[c.enumerator][c.fromMs];
        b = QuestionCountRow{c.enumerator, c.fromMs, c.toMs, b.n + c.n};
        QuestionTimes &t = out[c.enumerator];
        t.interviews += c.n;
        if (c.toMs <= fastMs)
            t.fast += c.n;
    }
    for (auto it = buckets.cbegin(); it != buckets.cend(); ++it) {
        QuestionTimes &t = out[it.key()];
        qint64 seen = 0; // the upper median (a sorted list's [n / 2]), to its bucket's middle
        for (const auto &[from, b] : *it) {
            seen += b.n;
            if (seen > t.interviews / 2) {
                t.medianSeconds = double(b.fromMs + b.toMs) / 2000.0;
                break;
            }
        }
    }
    return out;
}

} // namespace kerbside::dashboard
