// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "geo/area.h"
#include "store/storetypes.h"

namespace kerbside::geo {

/** How a position fix stands to a case study's area (i12): inside (the boundary counts) or
 *  not, and the distance to the boundary in metres either way, as the collector's export
 *  computes them. Unknown without a valid fix or without an area (null or empty). */
AreaCheck checkAgainstArea(const Area *area, int areaVersion, const Location &fix);

} // namespace kerbside::geo
