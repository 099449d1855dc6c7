// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "value.h"

#include <QRegularExpression>
#include <QString>

#include <cstdint>
#include <vector>

namespace kerbside::expr {

// Node kinds of the flat AST.
enum class Op : std::uint8_t {
    Literal,      // a = constant index
    Field,        // ${name}: a = name index
    Current,      // .
    Parent,       // .. (only as position(..)'s argument: evaluates to nothing)
    ChoiceColumn, // bare name in a choice_filter: a = name index
    Neg,          // a = operand
    Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod, // a, b = operands
    Call,         // fn; a = first index into Program::args, b = argument count
};

// Built-in functions (see functions.cpp for names and arities).
enum class Fn : std::uint8_t {
    None,
    Not, Selected, CountSelected, SelectedAt, ChoiceName, StringLength, Contains, StartsWith,
    EndsWith, Concat, Substr, Substring, Regex, If, Coalesce, Today, Now, Int, Round, Number,
    String, Boolean, Date, FormatDate, Min, Max, True, False, BooleanFromString, NormalizeSpace,
    SubstringBefore, SubstringAfter, Translate, Abs, Pow, Sqrt, Floor, Ceiling, DecimalDateTime,
    FormatDateTime, DateTime, Once, Pi,
    Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Log, Log10, Exp, Exp10, DecimalTime, Uuid, Random,
    Join, Count, Sum, Area, Distance, Geofence, Position, IndexedRepeat,
};

struct Node {
    Op op = Op::Literal;
    Fn fn = Fn::None;
    int a = -1;
    int b = -1;
    int extra = -1; // regex(): index into Program::regexes when the pattern is a literal
    int column = 0; // 1-based, for diagnostics
};

/** A parsed expression: nodes in a flat vector, children before parents; evaluation walks it
 *  from `root` without allocating. */
struct Program {
    std::vector<Node> nodes;
    std::vector<Value> constants;
    std::vector<QString> names; // field and choice-column names, referenced by index
    std::vector<int> args;      // call arguments: node indices, contiguous per call
    std::vector<QRegularExpression> regexes; // literal regex() patterns, compiled once
    int root = -1;
};

} // namespace kerbside::expr
