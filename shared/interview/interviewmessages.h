// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace kerbside {

// The interview's own plain-language messages ("required", "constraint", "type.integer",
// "type.decimal", "type.date", "type.time", "type.datetime", "type.geopoint", "type.choice",
// "accuracy" with %1 = metres) in `language`, falling back to English. Forms override
// "required" and "constraint" with their own required_message / constraint_message.
QString interviewMessage(const char *key, const QString &language);

} // namespace kerbside
