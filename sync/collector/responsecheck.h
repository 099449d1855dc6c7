// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "wiretypes.h"

#include "form/form.h"

#include <QString>

namespace kerbside {

/** Checks a decoded response against the form version it names, as published: every answer
 *  names a question of that version, has a type that question takes, and a value it allows
 *  (a listed choice, a number, a date, a geopoint in range). Structure and ranges that need
 *  no form (times, NaN, sizes) are BatchCodec::decode's. Returns "" when the response is
 *  acceptable, else the reason naming the response and the field (never the value). */
QString checkResponseAgainstForm(const IncomingResponse &response, const Form &form);

} // namespace kerbside
