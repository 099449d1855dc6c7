// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form.h"

namespace kerbside {

/** What the contact log offers for what a fieldworker saw of someone who was approached but not
 *  interviewed (age band, gender). The codes are the form's own: the choices of its select_one
 *  question of that name (`age_band`, `gender`), so a contact's codes equal an interview's and
 *  quota cells and outcome rates line up. Choices declared missing ("prefer not to say") are
 *  left out: they are answers a resident gives, not something observed. Empty when the form has
 *  no such select_one question. */
QList<Choice> observedChoices(const Form &form, const QString &question);

namespace observed {
inline const QString ageBand = QStringLiteral("age_band");
inline const QString gender = QStringLiteral("gender");
} // namespace observed

} // namespace kerbside
