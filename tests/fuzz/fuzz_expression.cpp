// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the expression parser and evaluator: the text of a relevant,
// constraint or calculation (from a published form or an .xlsx) must parse or give a syntax
// error, and evaluate to some value, without a crash, hang, leak or undefined behaviour.
#include "expr/evalcontext.h"
#include "expr/expression.h"

#include <cstddef>
#include <iterator>
#include <cstdint>

namespace {

// Answers of several kinds, chosen by the field name's length, so that every function meets
// numbers, dates, lists and text.
class Context : public kerbside::EvalContext
{
public:
    kerbside::Value fieldValue(const QString &name) const override
    {
        static const char *const kValues[] = {"", "3", "-2.5", "2024-02-29", "a b c", "1e308",
                                              "2024-02-29T23:59:59.999+14:00", "nan", "x"};
        return kerbside::Value::string(QString::fromLatin1(kValues[name.size() % std::size(kValues)]));
    }
    kerbside::Value currentValue() const override { return kerbside::Value::string(QStringLiteral("7")); }
    kerbside::Value choiceColumn(const QString &column) const override { return fieldValue(column); }
    QString choiceLabel(const QString &field, const QString &choice) const override { return field + choice; }
    QDateTime now() const override { return QDateTime::fromMSecsSinceEpoch(1764547200000, Qt::UTC); }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const kerbside::Expression e = kerbside::Expression::parse(text);
    if (e.isValid() == e.errorMessage().isEmpty() && e.isValid()) {
        const kerbside::Value v = e.evaluate(Context());
        (void)v.toString();
        (void)v.toNumber();
        (void)v.toBoolean();
    } else if (e.isValid() != e.errorMessage().isEmpty()) {
        __builtin_trap();
    }
    return 0;
}
