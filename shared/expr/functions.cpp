// SPDX-License-Identifier: Apache-2.0
#include "functions.h"

#include <iterator>

namespace kerbside::expr {

namespace {
// Arities follow javarosa, so a form that ODK Collect accepts parses here too.
const FunctionInfo kFunctions[] = {
    {"not", Fn::Not, 1, 1},
    {"selected", Fn::Selected, 2, 2},
    {"count-selected", Fn::CountSelected, 1, 1},
    {"selected-at", Fn::SelectedAt, 2, 2},
    {"jr:choice-name", Fn::ChoiceName, 2, 2},
    {"string-length", Fn::StringLength, 1, 1},
    {"contains", Fn::Contains, 2, 2},
    {"starts-with", Fn::StartsWith, 2, 2},
    {"ends-with", Fn::EndsWith, 2, 2},
    {"concat", Fn::Concat, 0, -1},
    {"substr", Fn::Substr, 2, 3},
    {"substring", Fn::Substring, 2, 3},
    {"regex", Fn::Regex, 2, 2},
    {"if", Fn::If, 3, 3},
    {"coalesce", Fn::Coalesce, 2, 2},
    {"today", Fn::Today, 0, 0},
    {"now", Fn::Now, 0, 0},
    {"int", Fn::Int, 1, 1},
    {"round", Fn::Round, 1, 2},
    {"number", Fn::Number, 1, 1},
    {"string", Fn::String, 1, 1},
    {"boolean", Fn::Boolean, 1, 1},
    {"date", Fn::Date, 1, 1},
    {"format-date", Fn::FormatDate, 2, 2},
    {"min", Fn::Min, 1, -1},
    {"max", Fn::Max, 1, -1},
    {"true", Fn::True, 0, 0},
    {"false", Fn::False, 0, 0},
    {"boolean-from-string", Fn::BooleanFromString, 1, 1},
    {"normalize-space", Fn::NormalizeSpace, 1, 1},
    {"substring-before", Fn::SubstringBefore, 2, 2},
    {"substring-after", Fn::SubstringAfter, 2, 2},
    {"translate", Fn::Translate, 3, 3},
    {"abs", Fn::Abs, 1, 1},
    {"pow", Fn::Pow, 2, 2},
    {"sqrt", Fn::Sqrt, 1, 1},
    {"floor", Fn::Floor, 1, 1},
    {"ceiling", Fn::Ceiling, 1, 1},
    {"decimal-date-time", Fn::DecimalDateTime, 1, 1},
    {"format-date-time", Fn::FormatDateTime, 2, 2},
    {"date-time", Fn::DateTime, 1, 1},
    {"once", Fn::Once, 1, 1},
    {"pi", Fn::Pi, 0, 0},
    {"sin", Fn::Sin, 1, 1},
    {"cos", Fn::Cos, 1, 1},
    {"tan", Fn::Tan, 1, 1},
    {"asin", Fn::Asin, 1, 1},
    {"acos", Fn::Acos, 1, 1},
    {"atan", Fn::Atan, 1, 1},
    {"atan2", Fn::Atan2, 2, 2},
    {"log", Fn::Log, 1, 1},
    {"log10", Fn::Log10, 1, 1},
    {"exp", Fn::Exp, 1, 1},
    {"exp10", Fn::Exp10, 1, 1},
    {"decimal-time", Fn::DecimalTime, 1, 1},
    {"uuid", Fn::Uuid, 0, 1},
    {"random", Fn::Random, 0, 0},
    // Over node-sets in ODK: a ${field} argument is every instance of it (EvalContext::fieldValues).
    {"join", Fn::Join, 2, -1},
    {"count", Fn::Count, 1, 1},
    {"sum", Fn::Sum, 1, 1},
    {"position", Fn::Position, 0, 1},
    {"indexed-repeat", Fn::IndexedRepeat, 3, 9},
    {"area", Fn::Area, 1, 1},
    {"distance", Fn::Distance, 1, -1},
    {"geofence", Fn::Geofence, 2, 2},
};
} // namespace

const FunctionInfo *findFunction(QStringView name)
{
    for (const FunctionInfo &f : kFunctions) {
        if (name == QLatin1String(f.name))
            return &f;
    }
    return nullptr;
}

} // namespace kerbside::expr
