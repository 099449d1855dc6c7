// SPDX-License-Identifier: Apache-2.0
// XlsFormConverter: the choices and external_choices sheets.
#include "xlsformconverter.h"

#include "xlsformcell.h"

#include "form/jsonlinemap.h"

namespace kerbside {

namespace {

using xlsformcell::yesNo;

} // namespace

void XlsFormConverter::readChoices()
{
    readChoiceSheet(m_choices, m_choicesColumns, false);
    readChoiceSheet(m_externalChoices, m_externalColumns, true);
}

QString XlsFormConverter::externalList(const QString &written)
{
    if (const auto it = m_externalLists.constFind(written); it != m_externalLists.constEnd())
        return *it;
    QString name = written + QStringLiteral("_external");
    while (m_choiceLists.contains(name))
        name += QLatin1Char('_');
    m_externalLists.insert(written, name);
    return name;
}

void XlsFormConverter::readChoiceSheet(const XlsxSheet *sheet, const XlsFormColumns &cols, bool external)
{
    if (!sheet || !cols.headerRow())
        return;
    const int header = cols.headerRow();
    bool missing = false;
    for (const char *key : {"list_name", "name"}) {
        if (!cols.has(QLatin1String(key))) {
            problem(sheet, header, {},
                    QStringLiteral("the choices sheet has no '%1' column").arg(QLatin1String(key)));
            missing = true;
        }
    }
    if (missing)
        return;
    const bool duplicatesAllowed = m_settings && m_settingsRow
        && yesNo(value(*m_settings, m_settingsColumns, m_settingsRow,
                       QStringLiteral("allow_choice_duplicates")))
               .value_or(false);
    QHash<QString, QHash<QString, int>> nameRows; // list -> choice name -> row
    QHash<QString, int> firstRows; // lists this sheet starts -> their first row
    for (int row : dataRows(*sheet, cols)) {
        const QString writtenList = value(*sheet, cols, row, QStringLiteral("list_name"));
        const QString &list = writtenList;
        const QString name = value(*sheet, cols, row, QStringLiteral("name"));
        if (list.isEmpty() && name.isEmpty())
            continue; // a comment or a spacer row
        if (list.isEmpty()) {
            problem(sheet, row, heading(cols, QStringLiteral("list_name")),
                    QStringLiteral("choice '%1' has no list name").arg(name));
            continue;
        }
        if (name.isEmpty()) {
            problem(sheet, row, heading(cols, QStringLiteral("name")),
                    QStringLiteral("a choice of list '%1' has no name").arg(list));
            continue;
        }
        if (const int first = nameRows[list].value(name); first > 0 && !duplicatesAllowed) {
            problem(sheet, row, heading(cols, QStringLiteral("name")),
                    QStringLiteral("duplicate choice name '%1' in list '%2' (first on row %3); the names "
                                   "in a list must be unique unless the settings say allow_choice_duplicates")
                        .arg(name, list)
                        .arg(first));
            continue;
        }
        if (!nameRows[list].contains(name))
            nameRows[list].insert(name, row);
        // An external_choices list of the same name as a choices list is another list.
        const QString key = external ? externalList(writtenList) : writtenList;
        QJsonObject choice;
        QList<std::pair<QString, QString>> columns;
        choice.insert(QStringLiteral("name"), name);
        columns.append({QStringLiteral("name"), heading(cols, QStringLiteral("name"))});
        readText(*sheet, cols, row, QStringLiteral("label"), choice, columns);
        if (!choice.contains(QStringLiteral("label")) && hasMedia(*sheet, cols, row)) {
            choice.insert(QStringLiteral("label"), everyLanguage(name));
            m_warnings.fallback(sheet, heading(cols, QStringLiteral("label")), row,
                         QStringLiteral("a choice with only media (not shown by Kerbside yet) shows its name"));
        }
        for (const XlsFormColumns::Column &c : cols.columns()) {
            if (c.known || XlsFormColumns::isTranslatable(c.key))
                continue; // list_name, name, label; media
            const QString extra = sheet->cell(row, c.index).trimmed();
            if (c.key == QLatin1String("missing")) { // yes: a "no answer" choice (exports declare it missing)
                const QString v = extra.toLower();
                if (v == QLatin1String("yes") || v == QLatin1String("true") || v == QLatin1String("1")) {
                    choice.insert(c.key, true);
                    columns.append({c.key, c.heading});
                } else if (!v.isEmpty() && v != QLatin1String("no") && v != QLatin1String("false") && v != QLatin1String("0")) {
                    problem(sheet, row, c.heading, QStringLiteral("missing must be yes or no, not '%1'").arg(extra), false);
                }
                continue;
            }
            if (!extra.isEmpty()) {
                choice.insert(c.key, extra);
                columns.append({c.key, c.heading});
            }
        }
        if (!m_choiceLists.contains(key)) {
            m_choiceListRow.insert(key, row);
            firstRows.insert(key, row);
        }
        QJsonArray &array = m_choiceLists[key];
        const QString path
            = JsonLineMap::indexPath(JsonLineMap::childPath(QStringLiteral("$.choices"), key), array.size());
        m_sources.insert(path, {sheet, row, {}});
        for (const auto &[key, column] : columns)
            m_sources.insert(path + QLatin1Char('.') + key, {sheet, row, column});
        array.append(choice);
    }
    if (duplicatesAllowed)
        m_form.insert(QStringLiteral("allow_choice_duplicates"), true);
    for (auto it = firstRows.constBegin(); it != firstRows.constEnd(); ++it)
        m_sources.insert(JsonLineMap::childPath(QStringLiteral("$.choices"), it.key()),
                         {sheet, it.value(), heading(cols, QStringLiteral("list_name"))});
}

} // namespace kerbside
