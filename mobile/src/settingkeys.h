// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLatin1StringView>

/** Keys of the tablet's settings in DeviceStore's settings table. The sync client reads
 *  enumerator, device_id, collector_url and enrolment_code too, so they are spelled once here. */
namespace kerbside::settingkeys {

inline constexpr QLatin1StringView enumerator{"enumerator"};
inline constexpr QLatin1StringView deviceId{"device_id"};       // stable UUID made on first start
inline constexpr QLatin1StringView deviceName{"device_name"};   // what the fieldworker called it
inline constexpr QLatin1StringView collectorUrl{"collector_url"};
inline constexpr QLatin1StringView enrolmentCode{"enrolment_code"};
inline constexpr QLatin1StringView offlineOnly{"offline_only"}; // "1" / "0"
inline constexpr QLatin1StringView firstRunDone{"first_run_done"};
inline constexpr QLatin1StringView caseStudies{"case_studies"}; // JSON [{"id","name"}]
inline constexpr QLatin1StringView currentCaseStudy{"current_case_study"};
inline constexpr QLatin1StringView textSize{"ui_text_size"};     // 0..3
inline constexpr QLatin1StringView highContrast{"ui_high_contrast"};
inline constexpr QLatin1StringView uiLanguage{"ui_language"};    // "en" / "pl"

} // namespace kerbside::settingkeys
