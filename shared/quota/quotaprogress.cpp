// SPDX-License-Identifier: Apache-2.0
#include "quotaprogress.h"

namespace kerbside::quota {

namespace {

QString timeslotLabel(const QString &slot)
{
    QString s = slot;
    return s.replace(QLatin1Char('_'), QLatin1Char(' '));
}

} // namespace

QString cellLabel(const QString &cell, const Form &form, const QString &language)
{
    const QString lang = language.isEmpty() ? form.defaultLanguage : language;
    QStringList parts;
    for (const auto &[dimension, value] : Plan::cellParts(cell)) {
        QString label = value;
        if (dimension == QLatin1String(kTimeslot)) {
            label = timeslotLabel(value);
        } else if (const Question *q = form.question(dimension)) {
            if (const ChoiceList *list = form.choicesFor(*q)) {
                const int i = list->indexOf(value);
                if (i >= 0)
                    label = list->choices[i].label.text(lang, value);
            }
        }
        parts.append(label);
    }
    return parts.join(QStringLiteral(" · "));
}

Progress progress(const Plan &plan, const QMap<QString, qint64> &collector, const QMap<QString, qint64> &local,
                  const Form &form, const QString &language)
{
    Progress p;
    for (const QString &cell : plan.cells()) {
        const qint64 target = plan.targets.value(cell);
        if (target <= 0)
            continue;
        CellProgress c{cell, cellLabel(cell, form, language), target, collector.value(cell) + local.value(cell)};
        p.totalTarget += target;
        p.totalTowardTarget += std::min(c.achieved, target);
        p.cells.append(c);
    }
    std::stable_sort(p.cells.begin(), p.cells.end(),
                     [](const CellProgress &a, const CellProgress &b) { return a.remaining() > b.remaining(); });
    return p;
}

QString fullCell(const Plan &plan, const QMap<QString, qint64> &achieved,
                 const std::function<QString(const QString &)> &answer, const QDateTime &started,
                 std::optional<int> utcOffset)
{
    const QString cell = plan.cellOf(answer, started, utcOffset);
    if (cell.isEmpty() || achieved.value(cell) < plan.targets.value(cell))
        return {};
    return cell;
}

QString fullCellNotice(const Plan &plan, const QMap<QString, qint64> &achieved,
                       const std::function<QString(const QString &)> &answer, const QDateTime &started,
                       const Form &form, const QString &caseStudyName, const QString &language)
{
    const QString cell = fullCell(plan, achieved, answer, started);
    if (cell.isEmpty())
        return {};
    return QStringLiteral("Quota full: %1 in %2").arg(cellLabel(cell, form, language), caseStudyName);
}

} // namespace kerbside::quota
