// SPDX-License-Identifier: Apache-2.0
#include "expression.h"

#include "evaluator.h"
#include "parser.h"
#include "program.h"

namespace kerbside {

Expression Expression::parse(const QString &text)
{
    Expression e;
    e.m_text = text;
    if (e.isNull())
        return e; // empty: valid, evaluates to ''
    auto program = QSharedPointer<expr::Program>::create();
    expr::Parser parser(text);
    if (!parser.parse(*program)) {
        e.m_error = parser.errorMessage();
        e.m_errorColumn = parser.errorColumn();
        return e;
    }
    e.m_references = parser.references();
    e.m_usesCurrent = parser.usesCurrentValue();
    e.m_program = std::move(program);
    return e;
}

Value Expression::evaluate(const EvalContext &context) const
{
    if (!m_program)
        return {}; // null or invalid: the empty string
    return expr::Evaluator(*m_program, context).run();
}

} // namespace kerbside
