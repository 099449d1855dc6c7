// SPDX-License-Identifier: Apache-2.0
#include "locationgrid.h"

#include <QLocale>
#include <QStringList>

#include <cmath>
#include <numbers>

namespace kerbside {

namespace {
constexpr double kMetresPerDegree = 111320.0; // along a meridian, and along the equator
}

void LocationGrid::apply(double *latitude, double *longitude, double *accuracy) const
{
    if (!active() || std::isnan(*latitude) || std::isnan(*longitude))
        return;
    const double latStep = m_metres / kMetresPerDegree;
    const double lat = std::clamp(std::round(*latitude / latStep) * latStep, -90.0, 90.0);
    const double cosLat = std::max(std::cos(lat * std::numbers::pi / 180.0), 1e-6);
    const double lonStep = m_metres / (kMetresPerDegree * cosLat);
    *latitude = lat;
    *longitude = std::round(*longitude / lonStep) * lonStep;
    if (accuracy)
        *accuracy = std::isnan(*accuracy) ? m_metres : std::max(*accuracy, m_metres);
}

QString LocationGrid::applyToGeopoint(const QString &value) const
{
    if (!active())
        return value;
    const QStringList parts = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.size() < 2)
        return value;
    bool ok1 = false, ok2 = false;
    double lat = parts[0].toDouble(&ok1);
    double lon = parts[1].toDouble(&ok2);
    if (!ok1 || !ok2)
        return value;
    double acc = parts.size() > 3 ? parts[3].toDouble() : std::nan("");
    apply(&lat, &lon, &acc);
    QStringList out{formatCoordinate(lat), formatCoordinate(lon)};
    if (parts.size() > 2)
        out << parts[2];
    if (parts.size() > 3)
        out << QString::number(acc, 'g', QLocale::FloatingPointShortest);
    return out.join(QLatin1Char(' '));
}

QString LocationGrid::formatCoordinate(double degrees)
{
    return QString::number(std::round(degrees * 1e6) / 1e6, 'g', QLocale::FloatingPointShortest);
}

QString LocationGrid::applyToPoints(const QString &value) const
{
    if (!active())
        return value;
    QStringList points = value.split(QLatin1Char(';'));
    for (QString &p : points)
        p = applyToGeopoint(p.trimmed());
    return points.join(QLatin1Char(';'));
}

} // namespace kerbside
