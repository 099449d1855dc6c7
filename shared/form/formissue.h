// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "formloader.h"

namespace kerbside {

/** A FormProblem while a form is still being read: lines are filled in at the end (only when
 *  there are problems, so a clean load never maps the text). `relatedPath` names an earlier
 *  place the message refers to ("first used at ..."); its line is appended when known. */
struct FormIssue
{
    FormProblem problem;
    QString relatedPath;
};

} // namespace kerbside
