// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "evalcontext.h"
#include "value.h"

#include <QSharedPointer>
#include <QString>
#include <QStringList>

namespace kerbside {

namespace expr { struct Program; }

/** An XLSForm expression parsed once into an AST and evaluated many times. Parsing never throws:
 *  a syntax error is kept with its 1-based column. Copies share the parsed program. */
class Expression
{
public:
    Expression() = default; // the empty expression: isNull(), evaluates to the empty string
    static Expression parse(const QString &text);

    bool isNull() const { return m_text.trimmed().isEmpty(); }
    bool isValid() const { return m_error.isEmpty(); }
    const QString &text() const { return m_text; }
    const QString &errorMessage() const { return m_error; } // e.g. "unexpected ')'"
    int errorColumn() const { return m_errorColumn; }       // 1-based, 0 when valid

    // Distinct ${names} the expression reads, in order of first appearance.
    const QStringList &references() const { return m_references; }
    bool usesCurrentValue() const { return m_usesCurrent; } // contains '.'
    // Unknown functions and wrong argument counts are syntax errors, reported by parse().
    Value evaluate(const EvalContext &context) const;
    bool evaluateBoolean(const EvalContext &context) const { return evaluate(context).toBoolean(); }

private:
    QString m_text;
    QString m_error;
    int m_errorColumn = 0;
    QStringList m_references;
    bool m_usesCurrent = false;
    QSharedPointer<const expr::Program> m_program;
};

} // namespace kerbside
