// SPDX-License-Identifier: Apache-2.0
#include "answerformat.h"

#include <QSet>

#include <cmath>

namespace kerbside::answerformat {

bool parsePoints(QStringView text, QList<std::array<double, 4>> *points)
{
    points->clear();
    const QList<QStringView> parts = text.split(QLatin1Char(';'));
    if (parts.size() > kMaxPoints)
        return false;
    for (QStringView part : parts) {
        const QList<QStringView> numbers = part.trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (numbers.size() < 2 || numbers.size() > 4)
            return false;
        std::array<double, 4> p {0, 0, 0, 0};
        for (qsizetype i = 0; i < numbers.size(); ++i) {
            bool ok = false;
            p[size_t(i)] = numbers[i].toDouble(&ok);
            if (!ok || !std::isfinite(p[size_t(i)]))
                return false;
        }
        if (p[0] < -90 || p[0] > 90 || p[1] < -180 || p[1] > 180 || p[3] < 0)
            return false;
        points->append(p);
    }
    return true;
}

QString geotraceProblem(QStringView text)
{
    QList<std::array<double, 4>> points;
    if (!parsePoints(text, &points))
        return QStringLiteral("not a list of points (\"lat lon alt acc;lat lon alt acc\", latitude -90..90, "
                              "longitude -180..180, at most %1)")
            .arg(kMaxPoints);
    if (points.size() < 2)
        return QStringLiteral("a line needs at least 2 points");
    return {};
}

QString geoshapeProblem(QStringView text)
{
    QList<std::array<double, 4>> points;
    if (!parsePoints(text, &points))
        return geotraceProblem(text);
    if (points.size() < 4)
        return QStringLiteral("a shape needs at least 3 corners and the first point again at the end");
    const auto &a = points.first();
    const auto &b = points.last();
    if (a[0] != b[0] || a[1] != b[1])
        return QStringLiteral("a shape must end where it starts (the last point equal to the first)");
    return {};
}

QString rankProblem(QStringView text, const QStringList &names)
{
    const QList<QStringView> parts = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QSet<QStringView> seen;
    for (QStringView p : parts) {
        if (!names.contains(p))
            return QStringLiteral("'%1' is not one of the choices to rank").arg(p.left(100));
        if (seen.contains(p))
            return QStringLiteral("'%1' is ranked twice").arg(p.left(100));
        seen.insert(p);
    }
    if (parts.size() != names.size())
        return QStringLiteral("%1 of %2 choices are ranked; every choice needs a place").arg(parts.size()).arg(names.size());
    return {};
}

} // namespace kerbside::answerformat
