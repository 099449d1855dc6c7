// SPDX-License-Identifier: Apache-2.0
#include "variablenamer.h"

#include <QRegularExpression>

namespace kerbside {

namespace {

bool asciiLetter(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
}

bool asciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

} // namespace

QString VariableNamer::clean(const QString &wanted) const
{
    // ASCII only: both formats accept more, but not every reader of older versions does.
    QString s;
    s.reserve(wanted.size());
    for (QChar c : wanted) {
        const bool ok = asciiLetter(c) || asciiDigit(c) || c == QLatin1Char('_')
                        || (m_format == Format::Spss && c == QLatin1Char('.'));
        s.append(ok ? c : QLatin1Char('_'));
    }
    if (m_format == Format::Spss) {
        while (s.endsWith(QLatin1Char('.'))) // SPSS: a trailing '.' ends a command
            s.chop(1);
    }
    if (s.startsWith(QLatin1Char('_')))
        s.prepend(QLatin1Char('v')); // _index -> v_index
    else if (s.isEmpty() || !asciiLetter(s.front()))
        s.prepend(QStringLiteral("v_"));
    return s.left(maxLength());
}

bool VariableNamer::reserved(const QString &name) const
{
    static const QSet<QString> spss = {
        QStringLiteral("all"), QStringLiteral("and"), QStringLiteral("by"), QStringLiteral("eq"),
        QStringLiteral("ge"), QStringLiteral("gt"), QStringLiteral("le"), QStringLiteral("lt"),
        QStringLiteral("ne"), QStringLiteral("not"), QStringLiteral("or"), QStringLiteral("to"),
        QStringLiteral("with")};
    static const QSet<QString> stata = {
        QStringLiteral("_all"), QStringLiteral("_b"), QStringLiteral("byte"), QStringLiteral("_coef"),
        QStringLiteral("_cons"), QStringLiteral("double"), QStringLiteral("float"), QStringLiteral("if"),
        QStringLiteral("in"), QStringLiteral("int"), QStringLiteral("long"), QStringLiteral("_n"),
        QStringLiteral("_N"), QStringLiteral("_pi"), QStringLiteral("_pred"), QStringLiteral("_rc"),
        QStringLiteral("_skip"), QStringLiteral("strL"), QStringLiteral("using"), QStringLiteral("with")};
    if (m_format == Format::Spss)
        return spss.contains(name.toLower());
    static const QRegularExpression strN(QStringLiteral("^str[0-9]+$"));
    return stata.contains(name) || strN.match(name).hasMatch();
}

QString VariableNamer::add(const QString &wanted)
{
    QString base = clean(wanted);
    if (reserved(base))
        base = (QStringLiteral("v_") + base).left(maxLength());
    QString name = base;
    for (int n = 2; m_taken.contains(name.toLower()); ++n) {
        const QString suffix = QStringLiteral("_%1").arg(n);
        name = base.left(maxLength() - int(suffix.size())) + suffix;
    }
    m_taken.insert(name.toLower());
    return name;
}

} // namespace kerbside
