// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "quotaplan.h"

#include "form/form.h"

#include <optional>

namespace kerbside::quota {

/** One cell as a tablet shows it: the collector's count as of the last sync plus this
 *  tablet's own completes since, so it is right offline (other tablets' unsynced interviews
 *  are unknown until they sync: the reason quotas overshoot a little, never refuse). */
struct CellProgress
{
    QString cell;  // "age_band=55_64;gender=woman"
    QString label; // "55 to 64 · Woman", from the form's choice labels
    qint64 target = 0;
    qint64 achieved = 0;
    qint64 remaining() const { return std::max<qint64>(0, target - achieved); }
    bool full() const { return achieved >= target; }
};

struct Progress
{
    qint64 totalTarget = 0;
    qint64 totalTowardTarget = 0; // sum over cells of min(achieved, target)
    QList<CellProgress> cells;    // cells with a target, most needed first
};

// The plan's cells against `collector` (counts at the last sync) + `local` (this tablet's
// completes since). Labels in `language` (the form's default when empty).
Progress progress(const Plan &plan, const QMap<QString, qint64> &collector, const QMap<QString, qint64> &local,
                  const Form &form, const QString &language = {});

// "55 to 64 · Woman · weekday morning": each dimension's choice label, " · " between.
QString cellLabel(const QString &cell, const Form &form, const QString &language = {});

// The respondent's cell once the answers fix it and it is full (achieved >= target, so a cell
// with target 0, "not needed", is full too); "" while the cell is not fixed or still needs people.
// `utcOffset`: the offset recorded with the start, as the collector reads it (Plan::cellOf).
QString fullCell(const Plan &plan, const QMap<QString, qint64> &achieved,
                 const std::function<QString(const QString &)> &answer, const QDateTime &started,
                 std::optional<int> utcOffset = std::nullopt);

// Once the answers fix the respondent's cell and that cell is full: the sentence to say,
// "Quota full: 55 to 64 · Woman in Northfield Estate". Empty while the cell is not fixed or
// still needs people.
QString fullCellNotice(const Plan &plan, const QMap<QString, qint64> &achieved,
                       const std::function<QString(const QString &)> &answer, const QDateTime &started,
                       const Form &form, const QString &caseStudyName, const QString &language = {});

} // namespace kerbside::quota
