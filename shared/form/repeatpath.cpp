// SPDX-License-Identifier: Apache-2.0
#include "repeatpath.h"

namespace kerbside::repeatpath {

QString instancePrefix(const Form &form, const QList<int> &chain, const QList<int> &instance)
{
    QString out;
    const qsizetype n = std::min(chain.size(), instance.size());
    for (qsizetype j = 0; j < n; ++j) {
        if (j > 0)
            out += QLatin1Char('/');
        out += form.groups[chain[j]].name;
        out += QLatin1Char('[');
        out += QString::number(instance[j]);
        out += QLatin1Char(']');
    }
    return out;
}

QString answerKey(const Form &form, int question, const QList<int> &instance)
{
    const Question &q = form.questions[question];
    if (q.repeat < 0)
        return q.name;
    return instancePrefix(form, form.repeatChainOf(q), instance) + QLatin1Char('/') + q.name;
}

QString countKey(const Form &form, int repeat, const QList<int> &parentInstance)
{
    const Group &g = form.groups[repeat];
    if (g.repeatParent < 0)
        return g.name;
    return instancePrefix(form, form.repeatChain(g.repeatParent), parentInstance) + QLatin1Char('/') + g.name;
}

ParsedKey parseKey(const Form &form, QStringView key)
{
    ParsedKey out;
    const QList<QStringView> parts = key.split(QLatin1Char('/'));
    if (parts.size() > kMaxRepeatDepth + 1) {
        out.problem = QStringLiteral("nests deeper than any repeat of the form");
        return out;
    }
    QList<int> chain;
    for (qsizetype j = 0; j + 1 < parts.size(); ++j) {
        const QStringView part = parts[j];
        const qsizetype open = part.indexOf(QLatin1Char('['));
        if (open <= 0 || !part.endsWith(QLatin1Char(']'))) {
            out.problem = QStringLiteral("part %1 is not REPEAT[INDEX]").arg(j + 1);
            return out;
        }
        const int g = form.groupIndexOf(part.left(open).toString());
        if (g < 0 || !form.groups[g].repeat) {
            out.problem = QStringLiteral("'%1' is not a repeat of the form").arg(part.left(open).left(64));
            return out;
        }
        bool ok = false;
        const QStringView digits = part.mid(open + 1, part.size() - open - 2);
        const int index = digits.size() <= 4 && !digits.startsWith(QLatin1Char('0')) ? digits.toInt(&ok) : 0;
        if (!ok || index < 1 || index > kMaxRepeatInstances) {
            out.problem = QStringLiteral("instance index of '%1' is not 1 to %2")
                              .arg(form.groups[g].name).arg(kMaxRepeatInstances);
            return out;
        }
        chain.append(g);
        out.instance.append(index);
    }
    const QString last = parts.last().toString();
    QList<int> expected;
    if (const int q = form.indexOf(last); q >= 0) {
        out.question = q;
        expected = form.repeatChainOf(form.questions[q]);
    } else if (const int g = form.groupIndexOf(last); g >= 0 && form.groups[g].repeat) {
        out.repeat = g;
        expected = form.repeatChain(form.groups[g].repeatParent);
    } else {
        out.problem = QStringLiteral("'%1' is neither a question nor a repeat of the form").arg(last.left(64));
        return out;
    }
    if (expected != chain) {
        QStringList names;
        for (int g : expected)
            names << form.groups[g].name;
        out.problem = expected.isEmpty()
            ? QStringLiteral("'%1' is not inside a repeat").arg(last)
            : QStringLiteral("'%1' is inside %2, so its key is %3").arg(last, names.join(QLatin1Char('/')),
                                                                         names.join(QStringLiteral("[N]/")) + QStringLiteral("[N]/") + last);
        out.question = out.repeat = -1;
    }
    return out;
}

bool isRepeatKey(const Form &form, QStringView key)
{
    if (key.contains(QLatin1Char('/')))
        return true;
    const int g = form.groupIndexOf(key.toString());
    return g >= 0 && form.groups[g].repeat;
}

} // namespace kerbside::repeatpath
