// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "program.h"

#include <QStringView>

namespace kerbside::expr {

/** The table of built-in functions: names as written in XLSForms and their arities. */
struct FunctionInfo {
    const char *name;
    Fn fn;
    int minArgs;
    int maxArgs; // -1: unbounded
};

// nullptr when `name` is not a known function.
const FunctionInfo *findFunction(QStringView name);

} // namespace kerbside::expr
