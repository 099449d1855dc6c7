// SPDX-License-Identifier: Apache-2.0
// XlsFormConverter: select_one_from_file / select_multiple_from_file. The attachment's rows
// become a choice list of the form itself, so they are published, versioned and sent to
// tablets with the form (no second download that could go missing or differ by device).
#include "xlsformconverter.h"

#include "choicefile.h"
#include "xlsformattachments.h"
#include "xlsformcell.h"

#include "form/jsonlinemap.h"

#include <QRegularExpression>

namespace kerbside {

namespace {

// "UCL_regions.csv" -> "UCL_regions_csv": a valid list name, telling where it came from.
QString listNameFor(const QString &file)
{
    QString name = file;
    static const QRegularExpression other(QStringLiteral("[^A-Za-z0-9_]"));
    name.replace(other, QStringLiteral("_"));
    if (name.isEmpty() || !(name[0].isLetter() || name[0] == u'_'))
        name.prepend(QStringLiteral("file_"));
    return name;
}

} // namespace

QString XlsFormConverter::fileList(const XlsFormType &t, int row)
{
    const QString typeColumn = heading(m_surveyColumns, QStringLiteral("type"));
    const QString file = t.list;
    if (file.isEmpty()) {
        problem(m_survey, row, typeColumn,
                QStringLiteral("%1 needs a file name, e.g. '%1 households.csv'").arg(t.keyword));
        return {};
    }
    // The columns to read: pyxform's parameters value= and label= (default name, label).
    QString valueColumn = QStringLiteral("name");
    QString labelColumn = QStringLiteral("label");
    const QString parameters = value(*m_survey, m_surveyColumns, row, QStringLiteral("parameters"));
    static const QRegularExpression separators(QStringLiteral("[\\s;,]+"));
    for (const QString &pair : parameters.split(separators, Qt::SkipEmptyParts)) {
        const QString key = pair.section(QLatin1Char('='), 0, 0).trimmed().toLower();
        const QString v = pair.section(QLatin1Char('='), 1).trimmed();
        if (key == u"value" && !v.isEmpty())
            valueColumn = v;
        else if (key == u"label" && !v.isEmpty())
            labelColumn = v;
        else
            warning(m_survey, row, heading(m_surveyColumns, QStringLiteral("parameters")),
                    QStringLiteral("parameter '%1' is not used by Kerbside").arg(key));
    }
    const QString cacheKey = file + QLatin1Char('\n') + valueColumn + QLatin1Char('\n') + labelColumn;
    if (const auto it = m_fileLists.constFind(cacheKey); it != m_fileLists.constEnd())
        return *it;
    m_fileLists.insert(cacheKey, QString()); // a file that fails is reported once

    QByteArray bytes;
    QString error;
    if (!m_attachments) {
        problem(m_survey, row, typeColumn,
                QStringLiteral("%1 needs the attachment '%2', and this import takes no attachments (import "
                               "with `kerbside form import FORM.xlsx --attachment %2`)")
                    .arg(t.keyword, file));
        return {};
    }
    bool notFound = false;
    if (!m_attachments->read(file, &bytes, &error, &notFound)) {
        if (!notFound) {
            problem(m_survey, row, typeColumn, error);
            return {};
        }
        // As ODK Central takes a form whose attachment is not uploaded yet: the form imports with
        // an empty list standing in, and names the file in missing_attachments, which publishing
        // refuses until the workbook is imported again with it.
        if (const QString list = m_missingAttachments.value(file).toString(); !list.isEmpty()) {
            m_fileLists.insert(cacheKey, list);
            return list;
        }
        QString list = listNameFor(file);
        while (m_choiceLists.contains(list))
            list += QLatin1Char('_');
        m_choiceLists.insert(list, QJsonArray());
        m_sources.insert(JsonLineMap::childPath(QStringLiteral("$.choices"), list), {m_survey, row, typeColumn});
        m_missingAttachments.insert(file, list);
        m_sources.insert(JsonLineMap::childPath(QStringLiteral("$.missing_attachments"), file),
                         {m_survey, row, typeColumn});
        warning(m_survey, row, typeColumn,
                QStringLiteral("%1; the form is imported without its choices and cannot be published until it "
                               "is imported again with the file")
                    .arg(error));
        m_fileLists.insert(cacheKey, list);
        return list;
    }
    ChoiceFile table;
    if (!table.read(file, bytes)) {
        XlsFormProblem::addTo(m_problems, file, table.errorRow(), {}, table.error());
        problem(m_survey, row, typeColumn, QStringLiteral("the attachment '%1' cannot be read").arg(file));
        return {};
    }
    const int nameIndex = table.column(valueColumn);
    // label, or label::English (en) columns: the languages as in the survey's headings.
    QList<std::pair<QString, int>> labelIndexes; // language -> column
    for (qsizetype i = 0; i < table.headers().size(); ++i) {
        const QString h = table.headers()[i];
        if (h.compare(labelColumn, Qt::CaseInsensitive) == 0) {
            labelIndexes.append({m_defaultLanguage, int(i)});
        } else if (h.startsWith(labelColumn + QStringLiteral("::"), Qt::CaseInsensitive)) {
            const QString code = XlsFormColumns::languageCode(h.mid(labelColumn.size() + 2));
            for (const QString &lang : std::as_const(m_languages)) {
                if (lang.compare(code, Qt::CaseInsensitive) == 0)
                    labelIndexes.append({lang, int(i)});
            }
        }
    }
    bool ok = true;
    for (const auto &[wanted, index] : {std::pair {valueColumn, nameIndex},
                                        std::pair {labelColumn, labelIndexes.isEmpty() ? -1 : 0}}) {
        if (index < 0) {
            XlsFormProblem::addTo(m_problems, file, 1, {},
                                  QStringLiteral("has no '%1' column (its columns are %2)")
                                      .arg(wanted, table.headers().join(QStringLiteral(", "))));
            ok = false;
        }
    }
    if (!ok) {
        problem(m_survey, row, typeColumn, QStringLiteral("the attachment '%1' cannot be read").arg(file));
        return {};
    }
    const bool duplicatesAllowed = m_settings && m_settingsRow
        && xlsformcell::yesNo(value(*m_settings, m_settingsColumns, m_settingsRow,
                                    QStringLiteral("allow_choice_duplicates")))
               .value_or(false);

    QString list = listNameFor(file);
    while (m_choiceLists.contains(list))
        list += QLatin1Char('_');
    QJsonArray choices;
    QHash<QString, int> nameRows;
    int fallbacks = 0;
    const qsizetype problemsBefore = m_problems.size();
    const QString &nameHeading = table.headers()[nameIndex];
    for (const ChoiceFile::Row &r : table.rows()) {
        const QString name = r.cells[nameIndex].trimmed();
        if (name.isEmpty()) {
            XlsFormProblem::addTo(m_problems, file, r.row, nameHeading, QStringLiteral("a choice has no name"));
            continue;
        }
        if (const int first = nameRows.value(name); first > 0 && !duplicatesAllowed) {
            XlsFormProblem::addTo(m_problems, file, r.row, nameHeading,
                                  QStringLiteral("duplicate choice name '%1' (first on row %2); the names must "
                                                 "be unique unless the settings say allow_choice_duplicates")
                                      .arg(name)
                                      .arg(first));
            continue;
        }
        nameRows.insert(name, r.row);
        QJsonObject labels;
        for (const auto &[lang, index] : std::as_const(labelIndexes)) {
            if (const QString text = r.cells[index].trimmed(); !text.isEmpty())
                labels.insert(lang, text);
        }
        // As for the sheets: a language without text shows the default's (or any), else the name.
        const QString shown = labels.contains(m_defaultLanguage) ? labels.value(m_defaultLanguage).toString()
            : labels.isEmpty()                                   ? name
                                                                 : labels.constBegin()->toString();
        for (const QString &lang : std::as_const(m_languages)) {
            if (!labels.contains(lang)) {
                labels.insert(lang, shown);
                ++fallbacks;
            }
        }
        QJsonObject choice {{QStringLiteral("name"), name}, {QStringLiteral("label"), labels}};
        const QString path
            = JsonLineMap::indexPath(JsonLineMap::childPath(QStringLiteral("$.choices"), list), choices.size());
        m_sources.insert(path, {nullptr, r.row, {}, file});
        m_sources.insert(path + QStringLiteral(".name"), {nullptr, r.row, nameHeading, file});
        for (qsizetype i = 0; i < table.headers().size(); ++i) {
            const QString &h = table.headers()[i];
            bool label = false;
            for (const auto &[lang, index] : std::as_const(labelIndexes))
                label = label || index == i;
            if (i == nameIndex || label || h.startsWith(labelColumn + QStringLiteral("::"), Qt::CaseInsensitive))
                continue;
            const QString v = r.cells[i].trimmed();
            if (h == u"name" || h == u"label") {
                continue; // read as the value/label above, or left out when parameters name others
            } else if (h == u"missing") {
                const auto b = xlsformcell::yesNo(v == u"1" ? QStringLiteral("yes") : v == u"0" ? QStringLiteral("no") : v);
                if (!v.isEmpty() && !b)
                    XlsFormProblem::addTo(m_problems, file, r.row, h,
                                          QStringLiteral("missing must be yes or no, not '%1'").arg(v));
                else if (b.value_or(false))
                    choice.insert(h, true);
            } else if (!v.isEmpty()) {
                choice.insert(h, v); // an extra column for choice_filter
            }
            m_sources.insert(path + QLatin1Char('.') + h, {nullptr, r.row, h, file});
        }
        choices.append(choice);
    }
    if (m_problems.size() > problemsBefore) {
        problem(m_survey, row, typeColumn, QStringLiteral("the attachment '%1' has problems").arg(file));
        return {};
    }
    if (choices.isEmpty()) {
        XlsFormProblem::addTo(m_problems, file, 0, {}, QStringLiteral("has no choices"));
        problem(m_survey, row, typeColumn, QStringLiteral("the attachment '%1' has problems").arg(file));
        return {};
    }
    if (fallbacks > 0)
        warning(m_survey, row, typeColumn,
                QStringLiteral("%1: %2 label(s) missing in a language show the default language's text (or the "
                               "choice's name)")
                    .arg(file)
                    .arg(fallbacks));
    if (duplicatesAllowed)
        m_form.insert(QStringLiteral("allow_choice_duplicates"), true);
    m_choiceLists.insert(list, choices);
    m_sources.insert(JsonLineMap::childPath(QStringLiteral("$.choices"), list), {nullptr, 1, {}, file});
    m_fileLists.insert(cacheKey, list);
    return list;
}

} // namespace kerbside
