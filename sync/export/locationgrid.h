// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace kerbside {

/** Rounds coordinates to the centre of a grid cell `metres` wide (precise location is personal
 *  data). Latitude steps are metres / 111,320 degrees; longitude steps widen with the cosine of
 *  the rounded latitude so cells stay about square. The accuracy becomes at least the cell size.
 *  metres <= 0 leaves coordinates as they are. */
class LocationGrid
{
public:
    explicit LocationGrid(double metres = 0) : m_metres(metres) {}
    bool active() const { return m_metres > 0; }
    double metres() const { return m_metres; }

    void apply(double *latitude, double *longitude, double *accuracy) const;
    // A geopoint answer "lat lon altitude accuracy"; returned unchanged when not parseable.
    QString applyToGeopoint(const QString &value) const;
    // geotrace/geoshape text ("lat lon alt acc;..."): every point as applyToGeopoint does.
    QString applyToPoints(const QString &value) const;
    // Shortest text of a coordinate rounded to 1e-6 degrees (about 0.1 m).
    static QString formatCoordinate(double degrees);

private:
    double m_metres;
};

} // namespace kerbside
