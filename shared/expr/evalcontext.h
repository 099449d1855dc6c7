// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "value.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <utility>

namespace kerbside {

/** What an expression can see while it is evaluated: the answers, the current value and,
 *  inside a choice_filter, the columns of the choice being tested. The interview implements it;
 *  so does `kerbside expr` from its --values JSON. */
class EvalContext
{
public:
    virtual ~EvalContext() = default;

    // ${name}: the answer as stored (a string; "" when unanswered or irrelevant), typed by the
    // question where the context knows it (e.g. a date question may return Value::date).
    virtual Value fieldValue(const QString &name) const = 0;
    // ${name} as a node-set, for count(), sum(), min(), max() and join(): inside the current
    // repeat instance the one value; a question of a repeat seen from outside it, one value per
    // instance; ${repeat} itself, one (empty) value per instance. Outside repeats, one value.
    virtual QList<Value> fieldValues(const QString &name) const { return {fieldValue(name)}; }
    // position(..): the 1-based index of the repeat instance being evaluated (1 outside repeats).
    virtual int position() const { return 1; }
    // indexed-repeat(${name}, ${repeat1}, i1, ${repeat2}, i2, ...): the value of `name` in the
    // given instances (1-based), outermost repeat first; empty when there is no such instance.
    virtual Value indexedValue(const QString &name, const QList<std::pair<QString, int>> &instances) const
    {
        for (const auto &[repeat, index] : instances) {
            Q_UNUSED(repeat);
            if (index != 1)
                return {};
        }
        return fieldValue(name);
    }
    // '.': the value being validated (constraints) or the field's own value.
    virtual Value currentValue() const { return {}; }
    // A bare name inside a choice_filter: a column of the choice being tested ("" if absent).
    virtual Value choiceColumn(const QString &column) const { Q_UNUSED(column); return {}; }
    // jr:choice-name(value, '${field}'): the label of choice `value` of field's list in the
    // current language; empty if none.
    virtual QString choiceLabel(const QString &field, const QString &choiceName) const
    {
        Q_UNUSED(field);
        Q_UNUSED(choiceName);
        return {};
    }
    // Clock for today()/now(); tests override it.
    virtual QDateTime now() const { return QDateTime::currentDateTime(); }
};

} // namespace kerbside
