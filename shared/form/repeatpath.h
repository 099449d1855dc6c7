// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace kerbside {

/** Where an answer lives when the form has repeats (forms/README.md, "Repeats").
 *
 *  An answer outside repeats is keyed by its question's name, as it always was. Inside a
 *  repeat the key is the path of instances, 1-based, outermost first, then the name:
 *  `member[2]/age`, `visit[1]/member[3]/age`. How many instances a repeat holds is kept under
 *  the repeat's own path: `member` = "3", `visit[1]/member` = "2". These keys travel as any
 *  answer does (device store, kerbside.v1's string table, the collector's packed answers), so
 *  no layer below the form needs to know about repeats; the collector checks every key
 *  against the form (parseAnswerKey) and the exports split them into one table per repeat. */
namespace repeatpath {

// "member[2]/visit[1]": the instances of `chain` (repeat group indexes, outermost first) at
// `instance` (1-based); only as many levels as both have.
QString instancePrefix(const Form &form, const QList<int> &chain, const QList<int> &instance);
// The key of `question`'s answer in `instance` (one index per repeat around it).
QString answerKey(const Form &form, int question, const QList<int> &instance);
// The key holding how many instances `repeat` has inside `parentInstance` (one index per
// repeat around the repeat itself).
QString countKey(const Form &form, int repeat, const QList<int> &parentInstance);

struct ParsedKey
{
    int question = -1;    // an answer: the question
    int repeat = -1;      // an instance count: the repeat
    QList<int> instance;  // the instance indexes in the key (for a count, its parent's)
    QString problem;      // why the key does not fit the form ("" when it does)
    bool ok() const { return problem.isEmpty(); }
};
// Reads a key against `form`: an answer of a question at the right depth of repeats, or a
// repeat's count; indexes from 1 to kMaxRepeatInstances.
ParsedKey parseKey(const Form &form, QStringView key);

// True for keys that belong to a repeat (an answer inside one, or a count).
bool isRepeatKey(const Form &form, QStringView key);

} // namespace repeatpath
} // namespace kerbside
