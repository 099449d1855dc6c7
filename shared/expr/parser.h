// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "program.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace kerbside::expr {

/** Turns XLSForm expression text into a Program (recursive descent over XPath 1.0 precedence).
 *  Stops at the first error and keeps its message and 1-based column. */
class Parser
{
public:
    explicit Parser(const QString &text);

    bool parse(Program &program); // false on a syntax error

    const QString &errorMessage() const { return m_error; }
    int errorColumn() const { return m_errorColumn; }
    const QStringList &references() const { return m_references; }
    bool usesCurrentValue() const { return m_usesCurrent; }

private:
    enum class Tok {
        End, Number, String, Field, Dot, DotDot, Name, FuncName, LParen, RParen, Comma,
        Plus, Minus, Star, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge, And, Or,
    };
    struct Token {
        Tok type = Tok::End;
        int pos = 0;    // 0-based offset in the text
        int length = 0; // characters of source text
        QString text;   // name or string contents
        double number = 0;
    };

    bool tokenize();
    bool fail(int pos, const QString &message);
    QString describe(const Token &t) const;
    const Token &peek() const { return m_tokens[size_t(m_index)]; }
    const Token &next() { return m_tokens[size_t(m_index++)]; }

    int parseOr();
    int parseAnd();
    int parseEquality();
    int parseRelational();
    int parseAdditive();
    int parseMultiplicative();
    int parseUnary();
    int parsePrimary();
    int parseCall(const Token &name);

    int addNode(Op op, int a, int b, int pos);
    int addConstant(const Value &v, int pos);
    int nameIndex(const QString &name);
    void addReference(const QString &name);

    const QString &m_text;
    std::vector<Token> m_tokens;
    int m_index = 0;
    int m_depth = 0;
    std::vector<int> m_height; // per node of m_program: the longest path to a leaf, in nodes
    Program *m_program = nullptr;
    QString m_error;
    int m_errorColumn = 0;
    QStringList m_references;
    bool m_usesCurrent = false;
};

} // namespace kerbside::expr
