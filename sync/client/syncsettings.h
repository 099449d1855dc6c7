// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLatin1StringView>

/** Keys the sync client keeps in DeviceStore's settings table. collector_url, device_id and
 *  case_studies are shared with the tablet (mobile/src/settingkeys.h spells them the same). */
namespace kerbside::syncsettings {

inline constexpr QLatin1StringView collectorUrl{"collector_url"};
inline constexpr QLatin1StringView deviceId{"device_id"};       // the id the collector gave
inline constexpr QLatin1StringView caseStudies{"case_studies"}; // JSON [{"id","name"}]
// The bearer token from enrolment. Never logged, never shown, never in a report.
inline constexpr QLatin1StringView deviceToken{"device_token"};
// The last batch sequence number used (per device id; reset at enrolment).
inline constexpr QLatin1StringView sequence{"sync_sequence"};
// The batch being sent, base64 of its protobuf bytes; empty when none. Written before the
// first attempt and cleared only after its acknowledgement was applied, so a retry after a
// crash or a cut re-sends the same batch UUID and gets the same acknowledgement.
inline constexpr QLatin1StringView pendingBatch{"sync_pending_batch"};
inline constexpr QLatin1StringView lastSyncMs{"sync_last_ms"};         // ms since the epoch, UTC
inline constexpr QLatin1StringView lastSyncSummary{"sync_last_summary"}; // plain words

} // namespace kerbside::syncsettings
