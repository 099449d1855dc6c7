// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "geo/area.h"

#include <vector>

namespace kerbside::geo {

/** Fits a neighbourhood-sized WGS84 extent into a view of w x h pixels for the tablet's area
 *  view: a local equirectangular projection at the extent's middle latitude (metres on both
 *  axes alike, so shapes keep their proportions), north up, centred, with a margin. No tiles,
 *  no web Mercator: at a few kilometres the difference is well under a pixel's worth. */
class ViewProjection
{
public:
    struct Pixel
    {
        double x = 0;
        double y = 0;
    };
    /** A scale bar: a round length (1, 2 or 5 x 10^n metres) and its length on screen. */
    struct ScaleBar
    {
        double metres = 0;
        double pixels = 0;
    };

    ViewProjection() = default;
    // Everything in `points` is in view, `marginPx` from every edge. Invalid (isValid() false)
    // without points or without room; a single point gets a view kMinSpanMetres across.
    static ViewProjection fit(const std::vector<LonLat> &points, double widthPx, double heightPx,
                              double marginPx);

    bool isValid() const { return m_metresPerPixel > 0; }
    Pixel toView(LonLat p) const;
    double metresPerPixel() const { return m_metresPerPixel; }
    // The longest round length that fits in `maxPixels`.
    ScaleBar scaleBar(double maxPixels) const;

    static constexpr double kMinSpanMetres = 200; // a view never shows less than this across

private:
    LonLat m_centre;
    double m_metresPerDegreeLon = 0;
    double m_metresPerDegreeLat = 0;
    double m_metresPerPixel = 0;
    double m_width = 0;
    double m_height = 0;
};

// Every position of the area's rings (outer and holes), for fitting the view.
std::vector<LonLat> areaPositions(const Area &area);

} // namespace kerbside::geo
