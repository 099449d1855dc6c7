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
    for (const ValueLabel &l : c.valueLabels) {
        QString part = QStringLiteral("%1 = %2: %3").arg(l.code).arg(l.value, l.label);
        if (l.missingTag)
            part += QStringLiteral(" (declared missing; Stata .%1)").arg(QLatin1Char(l.missingTag));
        parts.append(part);
    }
    const QString list = parts.join(QStringLiteral("; "));
    return c.codeRule.isEmpty() ? list : QStringLiteral("[%1] %2").arg(c.codeRule, list);
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
    case ColumnKind::DateTime:
        return c.localClock ? QStringLiteral("date-time, the tablet's clock time (SPSS DATETIME20, Stata %tc; CSV "
                                             "ISO 8601 with the offset from UTC)")
                            : QStringLiteral("date-time, UTC (SPSS DATETIME20, Stata %tc; CSV ISO 8601)");
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
      << QStringLiteral("| A choice declared missing in the form (`\"missing\": true`, e.g. don't know, prefer not to say) | the choice's own code, declared user-missing (with -99 thru -97 as a range) | .d (then .e, .f for further ones), labelled | empty; the choice is listed in `FORM.missing.csv` (uuid, variable, value, label) | null, `_missing`: the choice name, e.g. `dk` |")
      << QStringLiteral("| No value (metadata not recorded, e.g. no location fix) | system-missing | . | empty | null |")
      << QString()
      << QStringLiteral("Text variables have no missing codes in .sav/.dta: a missing text is empty; use the "
                        "`status` variable and the relevance rule to tell the reasons apart.")
      << QString()
      << QStringLiteral("**Codes of choices.** Where every choice name in a list is an integer, the code is that "
                        "integer in every format (a scale named 5, 4, 3, 99 keeps 5, 4, 3, 99); otherwise the codes "
                        "are 1..n in list order. Each variable's rule is given in square brackets under \"Choices "
                        "and codes\".")
      << QString();
    if (!m_options.language.isEmpty())
        o << QStringLiteral("Labels are in language `%1`.").arg(m_options.language) << QString();
    o << QStringLiteral("**Languages.** Labels are in the export's language (`--language`, default: the form's "
                        "default). Beside each .sav and .dta, `FORM.LANG.sps` and `FORM.LANG.do` relabel the file "
                        "in each other language of the form. Stata variable labels are at most 80 characters: a "
                        "longer one is cut at a word with an ellipsis; a select_multiple 0/1 variable's label puts "
                        "the choice first, the full question is below and in the .dta's notes. The value labels "
                        "the export adds itself (`status`, `inside_area`) are in English and Polish, and in "
                        "English for any other language.")
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
    o << QStringLiteral("## Outcome rates (summary.csv)") << QString()
      << QStringLiteral("AAPOR Standard Definitions rates, one row per case study (`level` = `case_study`), per "
                        "case study and fieldworker (`fieldworker`) and per case study and day of the interview's "
                        "start or the approach, UTC (`day`), with the counts they come from. Outcome classes:")
      << QString()
      << QStringLiteral("| Class | Interviews (`status`) | Contact log (`disposition`) |")
      << QStringLiteral("|---|---|---|")
      << QStringLiteral("| I complete | `complete` | |")
      << QStringLiteral("| P partial | `partial` (broken off after consent) | |")
      << QStringLiteral("| R refusal and break-off | `refused` (refused at consent) | `refused` |")
      << QStringLiteral("| NC non-contact | (none: street intercepts always make contact) | |")
      << QStringLiteral("| O other | | `language_barrier`, `come_back_later`, `other` |")
      << QStringLiteral("| NE not eligible | `screened_out` (quota full) | `not_resident`, `ineligible` |")
      << QStringLiteral("| not a case | `draft`, `discarded` (never finalised) | |")
      << QString()
      << QStringLiteral("There are no cases of unknown eligibility, so RR1 = RR5, RR2 = RR6 and REF1 = REF2 = REF3. "
                        "RR5 = I/((I+P)+(R+NC+O)); RR6 = (I+P)/((I+P)+(R+NC+O)); COOP1 = I/((I+P)+R+O); "
                        "COOP2 = (I+P)/((I+P)+R+O); COOP3 = I/((I+P)+R); COOP4 = (I+P)/((I+P)+R); "
                        "REF3 = R/((I+P)+(R+NC+O)); eligibility = (I+P+R+NC+O)/(I+P+R+NC+O+NE). Rates have 4 "
                        "decimals and are empty when their denominator is 0. Counts follow the export's "
                        "case-study, date and form-version filters (contacts: case-study and date).")
      << QString();
    if (!m_options.includeSensitive)
        o << QStringLiteral("Sensitive questions (marked `sensitive` in the form) were left out; export with "
                            "`--include-sensitive` to keep them.")
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
