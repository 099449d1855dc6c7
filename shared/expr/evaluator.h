// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "evalcontext.h"
#include "program.h"
#include "value.h"

#include <QList>
#include <QString>

namespace kerbside::expr {

/** Walks a Program against an EvalContext. Stateless apart from its two references, so it
 *  lives on the stack of Expression::evaluate and allocates nothing of its own. */
class Evaluator
{
public:
    Evaluator(const Program &program, const EvalContext &context)
        : m_program(program), m_context(context) {}

    Value run() const { return eval(m_program.root); }

private:
    Value eval(int node) const;
    Value call(const Node &node) const;
    int arg(const Node &call, int i) const { return m_program.args[size_t(call.a + i)]; }
    // Argument i as a node-set: every instance of a ${field}, else the one value.
    QList<Value> values(const Node &call, int i) const;
    QString fieldName(const Node &call, int i) const; // "" unless argument i is a ${field}

    const Program &m_program;
    const EvalContext &m_context;
};

} // namespace kerbside::expr
