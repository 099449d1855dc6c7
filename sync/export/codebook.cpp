// SPDX-License-Identifier: Apache-2.0
#include "codebook.h"

#include "csvsink.h"

namespace kerbside {

namespace {

QString md(QString s)
{
    s.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    s.replace(QLatin1Char('\r'), QLatin1Char(' '));
    s.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return s;
}

void csvLine(QByteArray *out, const QStringList &fields)
{
    for (int i = 0; i < fields.size(); ++i) {
        if (i)
            out->append(',');
        const QByteArray f = fields[i].toUtf8();
        CsvSink::appendField(out, f.constData(), f.size());
    }
    out->append("\r\n", 2);
}

} // namespace

void Codebook::addTable(const ExportTable &table, const QStringList &files, const QStringList &omitted,
                        const QString &description)
{
    m_entries.append({table, files, omitted, description});
}

QString Codebook::choicesText(const ExportColumn &c)
{
    QStringList parts;
    if (c.kind == ColumnKind::Flag)
        parts << QStringLiteral("0 = not selected") << QStringLiteral("1 = selected");
    for (const ValueLabel &l : c.valueLabels)
        parts.append(QStringLiteral("%1 = %2: %3").arg(l.code).arg(l.value, l.label));
    return parts.join(QStringLiteral("; "));
}

QString Codebook::storageText(const ExportColumn &c)
{
    switch (c.kind) {
    case ColumnKind::Text:
        return c.textWidth > 0 ? QStringLiteral("text (.sav/.dta width %1 bytes)").arg(c.textWidth) : QStringLiteral("text");
    case ColumnKind::Number: return QStringLiteral("number");
    case ColumnKind::Code: return QStringLiteral("numeric code (CSV: the choice name)");
    case ColumnKind::Flag: return QStringLiteral("0/1");
    case ColumnKind::Date: return QStringLiteral("date (SPSS DATE11, Stata %td; CSV yyyy-mm-dd)");
    case ColumnKind::DateTime: return QStringLiteral("date-time, UTC (SPSS DATETIME20, Stata %tc; CSV ISO 8601)");
    case ColumnKind::Time: return QStringLiteral("time of day (SPSS TIME8, Stata %tc; CSV hh:mm:ss)");
    }
    return {};
}

QByteArray Codebook::markdown() const
{
    QStringList o;
    o << QStringLiteral("# Codebook") << QString();
    o << QStringLiteral("One section per file set below. Variables appear in file order; `SPSS` and `Stata` give the "
                        "name in the .sav and .dta files where it had to change (a blank means unchanged).")
      << QString();
    o << QStringLiteral("## Missing values") << QString()
      << QStringLiteral("| Reason | SPSS (.sav, user-missing) | Stata (.dta) | CSV | JSON Lines |")
      << QStringLiteral("|---|---|---|---|---|")
      << QStringLiteral("| Not relevant: the form's rules skipped the question (or the respondent's form version did not have it) | -97 | .a | empty | null, `_missing`: `not_relevant` |")
      << QStringLiteral("| Not answered: relevant, but left empty (optional question) | -98 | .b | empty | null, `_missing`: `not_answered` |")
      << QStringLiteral("| Refused interview: the respondent declined at consent | -99 | .c | empty | null, `_missing`: `refused_interview` |")
      << QStringLiteral("| No value (metadata not recorded, e.g. no location fix) | system-missing | . | empty | null |")
      << QString()
      << QStringLiteral("Text variables have no missing codes in .sav/.dta: a missing text is empty; use the "
                        "`status` variable and the relevance rule to tell the reasons apart.")
      << QString();
    o << QStringLiteral("## Location") << QString();
    if (m_options.coarsenMetres > 0)
        o << QStringLiteral("Coordinates were coarsened: each latitude/longitude (interviews, contacts and geopoint "
                            "answers) was rounded to the centre of a grid cell %1 m wide (latitude steps of "
                            "%1/111320 degrees, longitude steps widened by 1/cos(latitude)), and the accuracy "
                            "reported as at least %1 m.").arg(m_options.coarsenMetres);
    else
        o << QStringLiteral("Coordinates are precise (as recorded by the tablet). A precise location can identify a "
                            "respondent's home: it is personal data. Export with `--coarsen-location METRES` to round "
                            "it before sharing.");
    o << QString();
    o << QStringLiteral("## Response rate (summary.csv)") << QString()
      << QStringLiteral("Per case study: **approached** = interviews (complete + refused at consent) + contact-log "
                        "entries (approaches that did not become an interview: refused, not a resident, ineligible, "
                        "language barrier, come back later, other); **interviewed** = complete interviews; "
                        "**refused** = interviews refused at consent + contacts with disposition `refused`; "
                        "**response_rate** = interviewed / approached (an AAPOR RR1-like rate where every approach "
                        "counts as an eligible case), 4 decimals, empty when nothing was approached. Draft and "
                        "discarded interviews are not counted. Counts follow the same case-study, date and form-version "
                        "filters as the export.")
      << QString();
    if (!m_options.includeSensitive)
        o << QStringLiteral("Sensitive questions (marked `sensitive` in the form) and the contact log's free-text note "
                            "were left out; export with `--include-sensitive` to keep them.")
          << QString();

    for (const Entry &e : m_entries) {
        o << QStringLiteral("## %1").arg(md(e.table.title.isEmpty() ? e.table.stem : e.table.title)) << QString();
        QStringList files;
        for (const QString &f : e.files)
            files << QStringLiteral("`%1`").arg(f);
        o << QStringLiteral("Files: %1").arg(files.join(QStringLiteral(", "))) << QString();
        if (!e.description.isEmpty())
            o << e.description << QString();
        o << QStringLiteral("| Variable | SPSS | Stata | Label | Question type | Storage | Choices and codes | Relevant when | Sensitive | Notes |")
          << QStringLiteral("|---|---|---|---|---|---|---|---|---|---|");
        for (const ExportColumn &c : e.table.columns) {
            const QStringList cells{
                QStringLiteral("`%1`").arg(md(c.name)),
                c.spssName == c.name ? QString() : QStringLiteral("`%1`").arg(c.spssName),
                c.stataName == c.name ? QString() : QStringLiteral("`%1`").arg(c.stataName),
                md(c.label), md(c.questionType), md(storageText(c)), md(choicesText(c)),
                c.relevance.isEmpty() ? QString() : QStringLiteral("`%1`").arg(md(c.relevance)),
                c.sensitive ? QStringLiteral("yes") : QStringLiteral("no"), md(c.note)};
            o << QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |");
        }
        o << QString();
        if (!e.omitted.isEmpty())
            o << QStringLiteral("Left out as sensitive: %1.").arg(e.omitted.join(QStringLiteral(", "))) << QString();
    }
    return o.join(QLatin1Char('\n')).toUtf8();
}

QByteArray Codebook::csv() const
{
    QByteArray out;
    csvLine(&out, {QStringLiteral("file"), QStringLiteral("variable"), QStringLiteral("spss_name"),
                   QStringLiteral("stata_name"), QStringLiteral("label"), QStringLiteral("question"),
                   QStringLiteral("question_type"), QStringLiteral("storage"), QStringLiteral("choices"),
                   QStringLiteral("relevance"), QStringLiteral("sensitive"), QStringLiteral("note")});
    for (const Entry &e : m_entries) {
        for (const ExportColumn &c : e.table.columns) {
            csvLine(&out, {e.table.stem, c.name, c.spssName, c.stataName, c.label, c.question, c.questionType,
                           storageText(c), choicesText(c), c.relevance,
                           c.sensitive ? QStringLiteral("yes") : QStringLiteral("no"), c.note});
        }
        for (const QString &q : e.omitted)
            csvLine(&out, {e.table.stem, q, {}, {}, {}, q, {}, {}, {}, {}, QStringLiteral("yes"),
                           QStringLiteral("left out (sensitive); export with --include-sensitive")});
    }
    return out;
}

} // namespace kerbside
