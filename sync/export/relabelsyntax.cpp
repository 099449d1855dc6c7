// SPDX-License-Identifier: Apache-2.0
#include "relabelsyntax.h"

#include "readstatsink.h"

#include <span>

namespace kerbside {

namespace {

// Same limits as the .sav writer (ReadStatSink): labels are cut at a character boundary.
QString spssText(const QString &s, int maxBytes)
{
    QByteArray bytes = s.toUtf8();
    if (bytes.size() > maxBytes) {
        int end = maxBytes;
        while (end > 0 && (static_cast<unsigned char>(bytes[end]) & 0xC0) == 0x80)
            --end;
        bytes.truncate(end);
    }
    QString out = QString::fromUtf8(bytes);
    out.replace(QLatin1Char('\''), QStringLiteral("''"));
    out.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

// A Stata compound-quoted string; `$` and backquotes escaped so no macro is expanded.
QString stataText(const QByteArray &utf8)
{
    QString s = QString::fromUtf8(utf8);
    s.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    s.replace(QLatin1Char('$'), QStringLiteral("\\$"));
    s.replace(QLatin1Char('`'), QStringLiteral("\\`"));
    s.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return QStringLiteral("`\"") + s + QStringLiteral("\"'");
}

// Code columns with labels: a question's choices, or the export's own (status, inside_area:
// labelled per language by metalabels).
bool relabels(const ExportColumn &c)
{
    return c.kind == ColumnKind::Code && !c.valueLabels.isEmpty()
        && (!c.question.isEmpty() || !c.valueLabels.first().labels.isEmpty());
}

// Only question variables carry the missing-value reasons; metadata is there or system-missing.
std::span<const missingcode::Reason> reasonsOf(const ExportColumn &c)
{
    if (c.question.isEmpty())
        return {};
    return missingcode::kReasons;
}

} // namespace

QByteArray relabel::spss(const ExportTable &t, const QString &lang)
{
    QStringList o;
    o << QStringLiteral("* Relabels %1.sav in language '%2': GET FILE='%1.sav'. then INSERT FILE='%1.%2.sps'.")
             .arg(t.stem, lang);
    o << QStringLiteral("FILE LABEL %1.").arg(spssText(t.titles.value(lang, t.title), 64));
    QStringList vars;
    for (const ExportColumn &c : t.columns) {
        if (c.labels.contains(lang))
            vars << QStringLiteral("  %1%2 %3").arg(vars.isEmpty() ? QString() : QStringLiteral("/"), c.spssName,
                                                     spssText(c.labels.value(lang), 256));
    }
    if (!vars.isEmpty())
        o << QStringLiteral("VARIABLE LABELS") << vars.join(QLatin1Char('\n')) + QLatin1Char('.');
    QStringList values;
    for (const ExportColumn &c : t.columns) {
        if (!relabels(c))
            continue;
        QStringList parts{QStringLiteral("  %1%2").arg(values.isEmpty() ? QString() : QStringLiteral("/"), c.spssName)};
        for (const ValueLabel &l : c.valueLabels)
            parts << QStringLiteral("    %1 %2").arg(l.code).arg(spssText(l.labels.value(lang, l.label), 120));
        for (const missingcode::Reason &r : reasonsOf(c))
            parts << QStringLiteral("    %1 %2").arg(r.code).arg(spssText(QString::fromLatin1(r.label), 120));
        values << parts.join(QLatin1Char('\n'));
    }
    if (!values.isEmpty())
        o << QStringLiteral("VALUE LABELS") << values.join(QLatin1Char('\n')) + QLatin1Char('.');
    o << QString();
    return o.join(QLatin1Char('\n')).toUtf8();
}

QByteArray relabel::stata(const ExportTable &t, const QString &lang)
{
    QStringList o;
    o << QStringLiteral("* Relabels %1.dta in language '%2': use \"%1.dta\", clear then do \"%1.%2.do\"")
             .arg(t.stem, lang);
    o << QStringLiteral("label data %1").arg(stataText(ReadStatSink::stataLabel(t.titles.value(lang, t.title))));
    for (const ExportColumn &c : t.columns) {
        if (c.labels.contains(lang))
            o << QStringLiteral("label variable %1 %2")
                     .arg(c.stataName, stataText(ReadStatSink::stataLabel(c.labels.value(lang))));
    }
    for (const ExportColumn &c : t.columns) {
        if (!relabels(c))
            continue;
        QStringList parts;
        for (const ValueLabel &l : c.valueLabels) {
            const QString code = l.missingTag ? QStringLiteral(".") + QLatin1Char(l.missingTag) : QString::number(l.code);
            parts << QStringLiteral("%1 %2").arg(code, stataText(l.labels.value(lang, l.label).toUtf8()));
        }
        for (const missingcode::Reason &r : reasonsOf(c))
            parts << QStringLiteral(".%1 %2").arg(QLatin1Char(r.tag)).arg(stataText(QByteArray(r.label)));
        o << QStringLiteral("label define %1 %2, replace").arg(c.stataName, parts.join(QLatin1Char(' ')));
        o << QStringLiteral("label values %1 %1").arg(c.stataName);
    }
    o << QString();
    return o.join(QLatin1Char('\n')).toUtf8();
}

} // namespace kerbside
