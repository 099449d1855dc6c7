// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dashboardtypes.h"

namespace kerbside::dashboard {

/** The median time a question of one interview was on screen, in seconds, from its paradata:
 *  each page's time (from its "shown" events to the next page's, or to "finalised", or to the
 *  interview's end) split evenly over the questions shown on it, summed over a question's
 *  showings (going back shows a page again). NaN without any page shown. */
double medianQuestionSeconds(const InterviewPaging &paging);

} // namespace kerbside::dashboard
