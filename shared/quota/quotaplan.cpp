// SPDX-License-Identifier: Apache-2.0
#include "quotaplan.h"

#include "jsonnumber.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kerbside::quota {

QString modeName(Mode m)
{
    return m == Mode::Hard ? QStringLiteral("hard") : QStringLiteral("soft");
}

bool modeFromName(const QString &name, Mode *m)
{
    if (name == QLatin1String("soft"))
        *m = Mode::Soft;
    else if (name == QLatin1String("hard"))
        *m = Mode::Hard;
    else
        return false;
    return true;
}

QStringList timeslotNames()
{
    return {QStringLiteral("weekday_morning"), QStringLiteral("weekday_afternoon"), QStringLiteral("weekday_evening"),
            QStringLiteral("weekend_morning"), QStringLiteral("weekend_afternoon"), QStringLiteral("weekend_evening")};
}

QString timeslotOf(const QDateTime &started, const QTimeZone &zone, std::optional<int> utcOffset)
{
    if (!started.isValid())
        return {};
    // addSecs on UTC, not toOffsetFromUtc: an offset of 0 is a recorded one too.
    const QDateTime local = utcOffset ? started.toUTC().addSecs(*utcOffset)
        : zone.isValid()              ? started.toTimeZone(zone)
                                      : started.toUTC();
    const int hour = local.time().hour();
    const QString part = hour >= 6 && hour < 12 ? QStringLiteral("morning")
        : hour >= 12 && hour < 17               ? QStringLiteral("afternoon")
        : hour >= 17 && hour < 22               ? QStringLiteral("evening")
                                                : QString();
    if (part.isEmpty())
        return {};
    const bool weekend = local.date().dayOfWeek() >= 6;
    return (weekend ? QStringLiteral("weekend_") : QStringLiteral("weekday_")) + part;
}

QStringList Plan::cells() const
{
    QStringList out{QString()};
    for (const Dimension &d : dimensions) {
        QStringList next;
        for (const QString &prefix : out) {
            for (const QString &v : d.values)
                next.append((prefix.isEmpty() ? QString() : prefix + QLatin1Char(';')) + d.name + QLatin1Char('=') + v);
        }
        out = next;
    }
    return dimensions.isEmpty() ? QStringList() : out;
}

qint64 Plan::totalTarget() const
{
    qint64 total = 0;
    for (qint64 t : targets)
        total += t;
    return total;
}

QString Plan::cellOf(const std::function<QString(const QString &)> &answer, const QDateTime &started,
                     std::optional<int> utcOffset) const
{
    if (dimensions.isEmpty())
        return {};
    QStringList names, values;
    // The zone only where a time slot needs it (the merge calls this per response, and a
    // QTimeZone is looked up by its IANA id): a recorded offset needs none.
    auto slot = [&] {
        if (utcOffset)
            return timeslotOf(started, QTimeZone::utc(), utcOffset);
        return timeslotOf(started, timeZone.isEmpty() ? QTimeZone::utc() : QTimeZone(timeZone));
    };
    for (const Dimension &d : dimensions) {
        const QString v = d.name == QLatin1String(kTimeslot) ? slot() : answer(d.name);
        if (v.isEmpty() || !d.values.contains(v))
            return {};
        names.append(d.name);
        values.append(v);
    }
    return cellKey(names, values);
}

QString Plan::cellKey(const QStringList &dimensionNames, const QStringList &values)
{
    QStringList parts;
    for (qsizetype i = 0; i < dimensionNames.size() && i < values.size(); ++i)
        parts.append(dimensionNames[i] + QLatin1Char('=') + values[i]);
    return parts.join(QLatin1Char(';'));
}

QList<std::pair<QString, QString>> Plan::cellParts(const QString &cell)
{
    QList<std::pair<QString, QString>> out;
    for (const QString &part : cell.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        out.append({part.left(eq), eq < 0 ? QString() : part.mid(eq + 1)});
    }
    return out;
}

QByteArray Plan::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("case_study"), caseStudy);
    o.insert(QStringLiteral("form_id"), formId);
    o.insert(QStringLiteral("mode"), modeName(mode));
    o.insert(QStringLiteral("time_zone"), QString::fromUtf8(timeZone));
    o.insert(QStringLiteral("version"), version);
    QJsonArray dims;
    for (const Dimension &d : dimensions)
        dims.append(QJsonObject{{QStringLiteral("name"), d.name}, {QStringLiteral("values"), QJsonArray::fromStringList(d.values)}});
    o.insert(QStringLiteral("dimensions"), dims);
    QJsonObject t;
    for (auto it = targets.constBegin(); it != targets.constEnd(); ++it)
        t.insert(it.key(), it.value());
    o.insert(QStringLiteral("targets"), t);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Plan Plan::fromJson(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    Plan p;
    p.caseStudy = o.value(QLatin1String("case_study")).toString();
    p.formId = o.value(QLatin1String("form_id")).toString();
    modeFromName(o.value(QLatin1String("mode")).toString(), &p.mode);
    p.timeZone = o.value(QLatin1String("time_zone")).toString().toUtf8();
    p.version = jsonWholeNumber(o.value(QLatin1String("version")));
    for (const QJsonValue &d : o.value(QLatin1String("dimensions")).toArray()) {
        Dimension dim;
        dim.name = d.toObject().value(QLatin1String("name")).toString();
        for (const QJsonValue &v : d.toObject().value(QLatin1String("values")).toArray())
            dim.values.append(v.toString());
        if (!dim.name.isEmpty() && !dim.values.isEmpty())
            p.dimensions.append(dim);
    }
    const QJsonObject t = o.value(QLatin1String("targets")).toObject();
    const QStringList all = p.cells();
    for (const QString &cell : all)
        p.targets.insert(cell, std::max<qint64>(0, jsonWholeNumber(t.value(cell))));
    return p;
}

} // namespace kerbside::quota
