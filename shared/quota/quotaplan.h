// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <functional>
#include <optional>

namespace kerbside::quota {

enum class Mode { Soft, Hard };
QString modeName(Mode m); // "soft", "hard"
bool modeFromName(const QString &name, Mode *m);

// The time-of-day dimension: weekday/weekend x morning 06-12 / afternoon 12-17 / evening 17-22.
inline constexpr char kTimeslot[] = "@timeslot";
QStringList timeslotNames(); // "weekday_morning", ..., "weekend_evening"
// The slot of an interview that started at `started` (any zone), read at the tablet's offset
// from UTC when it was recorded (ResponseMeta::startedUtcOffset: the clock the fieldworker
// saw), else in `zone`; "" outside 06:00-22:00 (such an interview fixes no cell when time slots
// are a dimension).
QString timeslotOf(const QDateTime &started, const QTimeZone &zone, std::optional<int> utcOffset = std::nullopt);

struct Dimension
{
    QString name;       // a select_one question, or kTimeslot
    QStringList values; // choice names (or slot names), in list order
};

/** A case study's quotas: the cells of the cross-product of its dimensions, each with a target
 *  (0 = not needed). A cell is named "age_band=55_64;gender=woman", dimensions in --by order.
 *  Only complete interviews of `formId` count, each in the one cell its answers fix. */
struct Plan
{
    QString caseStudy;
    QString formId;
    QList<Dimension> dimensions;
    Mode mode = Mode::Soft;
    QByteArray timeZone;            // IANA id for @timeslot ("" = UTC)
    QMap<QString, qint64> targets;  // every cell of the cross-product
    qint64 version = 0;             // increases with each `quota set` (tablets compare it)
    QDateTime created;

    bool isEmpty() const { return dimensions.isEmpty(); }
    QStringList cells() const; // the cross-product, first dimension slowest
    qint64 totalTarget() const;
    // The cell fixed by the answers (`answer(question)` returns the stored value, "" when
    // unanswered) and the start time with its recorded offset (as timeslotOf takes them); ""
    // when any dimension is unanswered or not a listed value.
    QString cellOf(const std::function<QString(const QString &)> &answer, const QDateTime &started,
                   std::optional<int> utcOffset = std::nullopt) const;
    static QString cellKey(const QStringList &dimensionNames, const QStringList &values);
    static QList<std::pair<QString, QString>> cellParts(const QString &cell);

    // Compact JSON (what tablets receive) and back; fromJson returns an empty plan on garbage.
    QByteArray toJson() const;
    static Plan fromJson(const QByteArray &json);
};

} // namespace kerbside::quota
