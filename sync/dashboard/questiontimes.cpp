// SPDX-License-Identifier: Apache-2.0
#include "questiontimes.h"

#include "casecounters.h"

#include <cmath>

namespace kerbside::dashboard {

double medianQuestionSeconds(const InterviewPaging &p)
{
    QList<cases::PagingEvent> events; // the arithmetic the merge's counters use (casecounters.cpp)
    for (const ParadataRow &e : p.events)
        events.append({e.time.isValid() ? e.time.toMSecsSinceEpoch() : 0, e.time.isValid(), e.kind == QLatin1String("shown"), e.question});
    const double ms = cases::medianQuestionMs(events, p.ended.isValid() ? p.ended.toMSecsSinceEpoch() : 0, p.ended.isValid());
    return ms < 0 ? std::nan("") : ms / 1000.0;
}

} // namespace kerbside::dashboard
