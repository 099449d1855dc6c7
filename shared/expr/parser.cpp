// SPDX-License-Identifier: Apache-2.0
#include "parser.h"

#include "functions.h"

#include <algorithm>
#include <charconv>

namespace kerbside::expr {

namespace {

constexpr int kMaxDepth = 200; // nesting limit, so hostile input cannot overflow the stack
// Height limit of the finished tree: the evaluator recurses once per level, and a flat chain
// such as 1+1+1+... nests without any parentheses.
constexpr int kMaxHeight = 1000;

bool isNameStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.';
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// Strips `${...}` or a leading path from jr:choice-name's second argument: '${field}',
// 'field' and '/data/group/field' all name `field`.
QString choiceFieldName(const QString &s)
{
    QString t = s.trimmed();
    if (t.startsWith(QLatin1String("${")) && t.endsWith(u'}'))
        return t.mid(2, t.size() - 3).trimmed();
    const qsizetype slash = t.lastIndexOf(u'/');
    return slash >= 0 ? t.mid(slash + 1) : t;
}

} // namespace

Parser::Parser(const QString &text)
    : m_text(text)
{
}

bool Parser::fail(int pos, const QString &message)
{
    if (m_error.isEmpty()) {
        m_error = message;
        m_errorColumn = pos + 1;
    }
    return false;
}

QString Parser::describe(const Token &t) const
{
    if (t.type == Tok::End)
        return QStringLiteral("end of expression");
    return QLatin1Char('\'') + m_text.mid(t.pos, t.length) + QLatin1Char('\'');
}

bool Parser::tokenize()
{
    const qsizetype n = m_text.size();
    qsizetype i = 0;
    auto operandEnded = [this] {
        if (m_tokens.empty())
            return false;
        switch (m_tokens.back().type) {
        case Tok::Number: case Tok::String: case Tok::Field: case Tok::Dot: case Tok::DotDot:
        case Tok::Name: case Tok::RParen:
            return true;
        default:
            return false;
        }
    };
    auto push = [this](Tok type, qsizetype pos, qsizetype length) -> Token & {
        Token t;
        t.type = type;
        t.pos = int(pos);
        t.length = int(length);
        m_tokens.push_back(std::move(t));
        return m_tokens.back();
    };

    while (i < n) {
        const QChar c = m_text.at(i);
        if (c.isSpace()) {
            ++i;
            continue;
        }
        const QChar c1 = i + 1 < n ? m_text.at(i + 1) : QChar();
        if (isDigit(c) || (c == u'.' && isDigit(c1))) {
            qsizetype j = i;
            while (j < n && isDigit(m_text.at(j)))
                ++j;
            if (j < n && m_text.at(j) == u'.') {
                ++j;
                while (j < n && isDigit(m_text.at(j)))
                    ++j;
            }
            const QByteArray digits = m_text.mid(i, j - i).toLatin1();
            Token &t = push(Tok::Number, i, j - i);
            std::from_chars(digits.constData(), digits.constData() + digits.size(), t.number);
            i = j;
        } else if (c == u'.') {
            if (c1 == u'.') {
                push(Tok::DotDot, i, 2);
                i += 2;
                continue;
            }
            push(Tok::Dot, i, 1);
            ++i;
        } else if (c == u'\'' || c == u'"') {
            const qsizetype close = m_text.indexOf(c, i + 1);
            if (close < 0)
                return fail(int(i), QStringLiteral("unterminated string"));
            Token &t = push(Tok::String, i, close + 1 - i);
            t.text = m_text.mid(i + 1, close - i - 1);
            i = close + 1;
        } else if (c == u'$') {
            if (c1 != u'{')
                return fail(int(i), QStringLiteral("expected '{' after '$'"));
            const qsizetype close = m_text.indexOf(u'}', i + 2);
            if (close < 0)
                return fail(int(i), QStringLiteral("unterminated '${'"));
            const QString name = m_text.mid(i + 2, close - i - 2).trimmed();
            if (name.isEmpty())
                return fail(int(i), QStringLiteral("empty field name in '${}'"));
            bool ok = isNameStart(name.at(0));
            for (QChar ch : name)
                ok = ok && isNameChar(ch);
            if (!ok)
                return fail(int(i), QStringLiteral("invalid field name '%1'").arg(name));
            Token &t = push(Tok::Field, i, close + 1 - i);
            t.text = name;
            i = close + 1;
        } else if (isNameStart(c)) {
            qsizetype j = i + 1;
            while (j < n && (isNameChar(m_text.at(j)) || m_text.at(j) == u':'))
                ++j;
            const QString name = m_text.mid(i, j - i);
            qsizetype k = j;
            while (k < n && m_text.at(k).isSpace())
                ++k;
            // XPath: after an operand, these names are operators.
            if (operandEnded()) {
                if (name == QLatin1String("and")) { push(Tok::And, i, j - i); i = j; continue; }
                if (name == QLatin1String("or")) { push(Tok::Or, i, j - i); i = j; continue; }
                if (name == QLatin1String("div")) { push(Tok::Div, i, j - i); i = j; continue; }
                if (name == QLatin1String("mod")) { push(Tok::Mod, i, j - i); i = j; continue; }
            }
            Token &t = push(k < n && m_text.at(k) == u'(' ? Tok::FuncName : Tok::Name, i, j - i);
            t.text = name;
            i = j;
        } else {
            Tok type = Tok::End;
            qsizetype len = 1;
            switch (c.unicode()) {
            case '(': type = Tok::LParen; break;
            case ')': type = Tok::RParen; break;
            case ',': type = Tok::Comma; break;
            case '+': type = Tok::Plus; break;
            case '-': type = Tok::Minus; break;
            case '*': type = Tok::Star; break;
            case '=': type = Tok::Eq; break;
            case '!':
                if (c1 != u'=')
                    return fail(int(i), QStringLiteral("unexpected '!' (use != or not())"));
                type = Tok::Ne;
                len = 2;
                break;
            case '<':
                type = c1 == u'=' ? Tok::Le : Tok::Lt;
                len = c1 == u'=' ? 2 : 1;
                break;
            case '>':
                type = c1 == u'=' ? Tok::Ge : Tok::Gt;
                len = c1 == u'=' ? 2 : 1;
                break;
            default:
                return fail(int(i), QStringLiteral("unexpected '%1'").arg(c));
            }
            push(type, i, len);
            i += len;
        }
    }
    push(Tok::End, n, 0);
    return true;
}

bool Parser::parse(Program &program)
{
    m_program = &program;
    if (!tokenize())
        return false;
    if (peek().type == Tok::End)
        return fail(0, QStringLiteral("empty expression"));
    const int root = parseOr();
    if (root < 0)
        return false;
    if (peek().type != Tok::End)
        return fail(peek().pos, QStringLiteral("unexpected %1").arg(describe(peek())));
    program.root = root;
    return true;
}

int Parser::addNode(Op op, int a, int b, int pos)
{
    // Operands of these nodes are node indices (others hold constant or name indices).
    const bool hasOperands = op == Op::Neg || (op >= Op::Or && op <= Op::Mod);
    int height = 1;
    if (hasOperands) {
        for (int child : {a, b}) {
            if (child >= 0)
                height = std::max(height, m_height[size_t(child)] + 1);
        }
    }
    if (height > kMaxHeight)
        return fail(pos, QStringLiteral("expression nested too deeply (more than %1 levels of "
                                        "operators)")
                             .arg(kMaxHeight)), -1;
    m_height.push_back(height);
    Node node;
    node.op = op;
    node.a = a;
    node.b = b;
    node.column = pos + 1;
    m_program->nodes.push_back(node);
    return int(m_program->nodes.size()) - 1;
}

int Parser::addConstant(const Value &v, int pos)
{
    m_program->constants.push_back(v);
    return addNode(Op::Literal, int(m_program->constants.size()) - 1, -1, pos);
}

int Parser::nameIndex(const QString &name)
{
    auto &names = m_program->names;
    for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name)
            return int(i);
    }
    names.push_back(name);
    return int(names.size()) - 1;
}

void Parser::addReference(const QString &name)
{
    if (!m_references.contains(name))
        m_references.append(name);
}

int Parser::parseOr()
{
    int lhs = parseAnd();
    while (lhs >= 0 && peek().type == Tok::Or) {
        const int pos = next().pos;
        const int rhs = parseAnd();
        lhs = rhs < 0 ? -1 : addNode(Op::Or, lhs, rhs, pos);
    }
    return lhs;
}

int Parser::parseAnd()
{
    int lhs = parseEquality();
    while (lhs >= 0 && peek().type == Tok::And) {
        const int pos = next().pos;
        const int rhs = parseEquality();
        lhs = rhs < 0 ? -1 : addNode(Op::And, lhs, rhs, pos);
    }
    return lhs;
}

int Parser::parseEquality()
{
    int lhs = parseRelational();
    while (lhs >= 0 && (peek().type == Tok::Eq || peek().type == Tok::Ne)) {
        const Token &t = next();
        const Op op = t.type == Tok::Eq ? Op::Eq : Op::Ne;
        const int rhs = parseRelational();
        lhs = rhs < 0 ? -1 : addNode(op, lhs, rhs, t.pos);
    }
    return lhs;
}

int Parser::parseRelational()
{
    int lhs = parseAdditive();
    while (lhs >= 0) {
        Op op;
        switch (peek().type) {
        case Tok::Lt: op = Op::Lt; break;
        case Tok::Le: op = Op::Le; break;
        case Tok::Gt: op = Op::Gt; break;
        case Tok::Ge: op = Op::Ge; break;
        default: return lhs;
        }
        const int pos = next().pos;
        const int rhs = parseAdditive();
        lhs = rhs < 0 ? -1 : addNode(op, lhs, rhs, pos);
    }
    return lhs;
}

int Parser::parseAdditive()
{
    int lhs = parseMultiplicative();
    while (lhs >= 0 && (peek().type == Tok::Plus || peek().type == Tok::Minus)) {
        const Token &t = next();
        const Op op = t.type == Tok::Plus ? Op::Add : Op::Sub;
        const int rhs = parseMultiplicative();
        lhs = rhs < 0 ? -1 : addNode(op, lhs, rhs, t.pos);
    }
    return lhs;
}

int Parser::parseMultiplicative()
{
    int lhs = parseUnary();
    while (lhs >= 0) {
        Op op;
        switch (peek().type) {
        case Tok::Star: op = Op::Mul; break;
        case Tok::Div: op = Op::Div; break;
        case Tok::Mod: op = Op::Mod; break;
        default: return lhs;
        }
        const int pos = next().pos;
        const int rhs = parseUnary();
        lhs = rhs < 0 ? -1 : addNode(op, lhs, rhs, pos);
    }
    return lhs;
}

int Parser::parseUnary()
{
    if (peek().type != Tok::Minus)
        return parsePrimary();
    const int pos = next().pos;
    if (++m_depth > kMaxDepth)
        return fail(pos, QStringLiteral("expression nested too deeply")), -1;
    const int operand = parseUnary();
    --m_depth;
    return operand < 0 ? -1 : addNode(Op::Neg, operand, -1, pos);
}

int Parser::parsePrimary()
{
    const Token &t = next();
    switch (t.type) {
    case Tok::Number:
        return addConstant(Value::number(t.number), t.pos);
    case Tok::String:
        return addConstant(Value::string(t.text), t.pos);
    case Tok::Field:
        addReference(t.text);
        return addNode(Op::Field, nameIndex(t.text), -1, t.pos);
    case Tok::Dot:
        m_usesCurrent = true;
        return addNode(Op::Current, -1, -1, t.pos);
    case Tok::DotDot: {
        // Only as position(..): the instance of the repeat being evaluated.
        const bool asPosition = m_index >= 3 && m_tokens[size_t(m_index - 2)].type == Tok::LParen
            && m_tokens[size_t(m_index - 3)].type == Tok::FuncName && m_tokens[size_t(m_index - 3)].text == QLatin1String("position")
            && size_t(m_index) < m_tokens.size() && m_tokens[size_t(m_index)].type == Tok::RParen;
        if (!asPosition)
            return fail(t.pos, QStringLiteral("'..' (parent) is only understood as position(..); use ${name}")), -1;
        return addNode(Op::Parent, -1, -1, t.pos);
    }
    case Tok::Name:
        return addNode(Op::ChoiceColumn, nameIndex(t.text), -1, t.pos);
    case Tok::FuncName:
        return parseCall(t);
    case Tok::LParen: {
        if (++m_depth > kMaxDepth)
            return fail(t.pos, QStringLiteral("expression nested too deeply")), -1;
        const int inner = parseOr();
        --m_depth;
        if (inner < 0)
            return -1;
        if (peek().type != Tok::RParen) {
            if (peek().type == Tok::End)
                return fail(t.pos, QStringLiteral("missing ')' for this '('")), -1;
            return fail(peek().pos, QStringLiteral("expected ')' but found %1").arg(describe(peek()))), -1;
        }
        next();
        return inner;
    }
    default:
        if (t.type == Tok::End)
            --m_index; // End stays the current token
        return fail(t.pos, QStringLiteral("unexpected %1").arg(describe(t))), -1;
    }
}

int Parser::parseCall(const Token &name)
{
    const FunctionInfo *info = findFunction(name.text);
    if (!info)
        return fail(name.pos, QStringLiteral("unknown function '%1'").arg(name.text)), -1;
    next(); // '('
    if (++m_depth > kMaxDepth)
        return fail(name.pos, QStringLiteral("expression nested too deeply")), -1;
    std::vector<int> args;
    if (peek().type != Tok::RParen) {
        for (;;) {
            const int arg = parseOr();
            if (arg < 0)
                return -1;
            args.push_back(arg);
            if (peek().type == Tok::Comma) {
                next();
                continue;
            }
            if (peek().type == Tok::RParen)
                break;
            if (peek().type == Tok::End)
                return fail(name.pos, QStringLiteral("missing ')' after the arguments of '%1'")
                                          .arg(name.text)), -1;
            return fail(peek().pos, QStringLiteral("expected ',' or ')' but found %1")
                                        .arg(describe(peek()))), -1;
        }
    }
    next(); // ')'
    --m_depth;

    const int count = int(args.size());
    if (count < info->minArgs || (info->maxArgs >= 0 && count > info->maxArgs)) {
        QString expected;
        if (info->minArgs == info->maxArgs)
            expected = QString::number(info->minArgs);
        else if (info->maxArgs < 0)
            expected = QStringLiteral("at least %1").arg(info->minArgs);
        else
            expected = QStringLiteral("%1 to %2").arg(info->minArgs).arg(info->maxArgs);
        return fail(name.pos, QStringLiteral("'%1' takes %2 argument%3, got %4")
                                  .arg(name.text, expected,
                                       expected == QLatin1String("1") || expected.endsWith(QLatin1String(" 1"))
                                           ? QString() : QStringLiteral("s"))
                                  .arg(count)), -1;
    }

    if (info->fn == Fn::ChoiceName) {
        // The second argument names a field: resolve it now so references() lists it.
        Node &fieldArg = m_program->nodes[size_t(args[1])];
        if (fieldArg.op == Op::Literal) {
            Value &v = m_program->constants[size_t(fieldArg.a)];
            const QString field = choiceFieldName(v.toString());
            if (field.isEmpty())
                return fail(fieldArg.column - 1,
                            QStringLiteral("jr:choice-name needs a field name such as '${field}'")), -1;
            addReference(field);
            v = Value::string(field);
        }
    }

    for (size_t k = 0; k < args.size(); ++k) {
        // '..' means the enclosing repeat instance; Kerbside knows it only as position(..)'s.
        const Node &argNode = m_program->nodes[size_t(args[k])];
        if (argNode.op == Op::Parent && info->fn != Fn::Position)
            return fail(argNode.column - 1, QStringLiteral("'..' (parent) is only understood as position(..)")), -1;
    }
    if (info->fn == Fn::Position && count == 1 && m_program->nodes[size_t(args[0])].op != Op::Parent)
        return fail(name.pos, QStringLiteral("position() takes '..' (the repeat instance) or nothing")), -1;
    if (info->fn == Fn::IndexedRepeat) {
        // indexed-repeat(${field}, ${repeat}, n[, ${repeat2}, n2[, ${repeat3}, n3]])
        if (count % 2 == 0)
            return fail(name.pos, QStringLiteral("indexed-repeat takes a ${field} and then pairs of ${repeat}, index")), -1;
        for (int k = 0; k < count; k += (k == 0 ? 1 : 2)) {
            if (m_program->nodes[size_t(args[size_t(k)])].op != Op::Field)
                return fail(m_program->nodes[size_t(args[size_t(k)])].column - 1,
                            QStringLiteral("indexed-repeat argument %1 must be a ${name}").arg(k + 1)), -1;
        }
    }

    int extra = -1;
    if (info->fn == Fn::Regex) {
        // A literal pattern is compiled once here; a bad one is a syntax error, not a false.
        const Node &patternArg = m_program->nodes[size_t(args[1])];
        if (patternArg.op == Op::Literal) {
            const QString pattern = m_program->constants[size_t(patternArg.a)].toString();
            QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
            if (!re.isValid())
                return fail(patternArg.column - 1, QStringLiteral("invalid regular expression: %1")
                                                       .arg(re.errorString())), -1;
            re.optimize();
            m_program->regexes.push_back(std::move(re));
            extra = int(m_program->regexes.size()) - 1;
        }
    }

    int height = 1;
    for (int arg : args)
        height = std::max(height, m_height[size_t(arg)] + 1);
    if (height > kMaxHeight)
        return fail(name.pos, QStringLiteral("expression nested too deeply (more than %1 levels "
                                             "of operators)")
                                  .arg(kMaxHeight)), -1;
    m_height.push_back(height);
    const int first = int(m_program->args.size());
    m_program->args.insert(m_program->args.end(), args.begin(), args.end());
    Node node;
    node.op = Op::Call;
    node.fn = info->fn;
    node.a = first;
    node.b = count;
    node.extra = extra;
    node.column = name.pos + 1;
    m_program->nodes.push_back(node);
    return int(m_program->nodes.size()) - 1;
}

} // namespace kerbside::expr
