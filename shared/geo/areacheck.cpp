// SPDX-License-Identifier: Apache-2.0
#include "areacheck.h"

namespace kerbside::geo {

AreaCheck checkAgainstArea(const Area *area, int areaVersion, const Location &fix)
{
    AreaCheck c;
    if (!area || area->isEmpty() || !fix.isValid())
        return c;
    const LonLat p {fix.longitude, fix.latitude};
    c.inside = area->contains(p) ? InsideArea::Yes : InsideArea::No;
    c.distanceMetres = area->distanceToBoundary(p);
    c.areaVersion = areaVersion;
    return c;
}

} // namespace kerbside::geo
