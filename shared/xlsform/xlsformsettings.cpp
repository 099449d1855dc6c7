// SPDX-License-Identifier: Apache-2.0
// XlsFormConverter: the settings sheet (id, title, version, languages) and the form's languages.
#include "xlsformconverter.h"

#include "xlsformcell.h"
#include "xlsformlenient.h"

#include "form/formreader.h"

#include <QJsonArray>

namespace kerbside {

void XlsFormConverter::readLanguages()
{
    // Languages are those that a translated column names, in column order, survey first.
    QStringList codes;
    auto add = [&codes](const QStringList &more) {
        for (const QString &code : more) {
            if (!codes.contains(code, Qt::CaseInsensitive))
                codes << code;
        }
    };
    add(m_surveyColumns.languages());
    add(m_choicesColumns.languages());

    bool untagged = false; // a label/hint/message column with no ::language
    for (const XlsFormColumns *cols : {&m_surveyColumns, &m_choicesColumns}) {
        for (const XlsFormColumns::Column &c : cols->columns()) {
            if (c.known && !c.translated && XlsFormColumns::isTranslatable(c.key))
                untagged = true;
        }
    }

    // The settings sheet has one header row and one row of values.
    QString wanted;
    if (m_settings && m_settingsColumns.headerRow()) {
        const QList<int> rows = dataRows(*m_settings, m_settingsColumns);
        if (!rows.isEmpty()) {
            m_settingsRow = rows.first();
            wanted = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("default_language"));
            const QString clean = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("clean_text_values"));
            m_cleanTextValues = xlsformcell::yesNo(clean).value_or(true);
            if (!clean.isEmpty() && !xlsformcell::yesNo(clean))
                warning(m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("clean_text_values")),
                        QStringLiteral("clean_text_values must be yes or no, not '%1'; read as yes").arg(clean));
        }
    }
    QString def;
    if (!wanted.isEmpty()) {
        def = XlsFormColumns::languageCode(wanted);
        for (const QString &code : std::as_const(codes)) {
            if (code.compare(def, Qt::CaseInsensitive) == 0)
                def = code;
        }
        // A default_language that no column has only names the untagged columns' language.
        if (!codes.contains(def) && !untagged && !codes.isEmpty())
            def = codes.first();
    } else if (untagged || codes.isEmpty()) {
        def = QStringLiteral("en"); // untagged columns with nothing saying otherwise: English
    } else {
        def = codes.first();
    }
    m_defaultLanguage = def;
    m_languages = QStringList {def};
    for (const QString &code : std::as_const(codes)) {
        if (code != def)
            m_languages << code;
    }
}

void XlsFormConverter::readSettings()
{
    QString id = m_formName;
    QString title;
    QString version = QStringLiteral("1"); // XLSForm's version is optional; Kerbside needs one
    if (m_settings && m_settingsRow) {
        const QString given = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("form_id"));
        if (!given.isEmpty()) {
            id = given;
            m_sources.insert(
                QStringLiteral("$.id"),
                {m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("form_id"))});
        }
        title = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("form_title"));
        if (!title.isEmpty())
            m_sources.insert(
                QStringLiteral("$.title"),
                {m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("form_title"))});
        const QString v = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("version"));
        if (!v.isEmpty()) {
            version = v; // as written: an Excel number such as 44662.6850575292 keeps its digits
            m_sources.insert(
                QStringLiteral("$.version"),
                {m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("version"))});
        }
        if (m_settingsColumns.has(QStringLiteral("default_language")))
            m_sources.insert(
                QStringLiteral("$.default_language"),
                {m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("default_language"))});
    }
    if (const QString safe = xlsformlenient::safeFormId(id); safe != id) {
        // Ids become file names and travel in every batch: derive one that follows the rules
        // (as for the file name standing in for form_id) rather than refuse the form.
        if (id != m_formName)
            warning(m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("form_id")),
                    QStringLiteral("form_id '%1' is not a valid Kerbside id (a lower-case letter, then "
                                   "lower-case letters, digits, '_' or '-'); the form's id is '%2'")
                        .arg(id, safe));
        id = safe;
    }
    if (m_settings && m_settingsRow)
        warnIgnoredSettings();
    if (title.isEmpty())
        title = id;
    m_form.insert(QStringLiteral("format"), FormReader::formatName());
    m_form.insert(QStringLiteral("id"), id);
    m_form.insert(QStringLiteral("version"), version);
    m_form.insert(QStringLiteral("title"), everyLanguage(title));
    m_form.insert(QStringLiteral("default_language"), m_defaultLanguage);
    m_form.insert(QStringLiteral("languages"), QJsonArray::fromStringList(m_languages));
    m_sources.insert(QStringLiteral("$.languages"), {m_survey, m_surveyColumns.headerRow(), {}});
}

void XlsFormConverter::warnIgnoredSettings()
{
    for (const XlsFormColumns::Column &c : m_settingsColumns.columns()) {
        const QString reason = xlsformlenient::ignoredSetting(c.heading);
        if (!c.known && !reason.isEmpty() && !m_settings->cell(m_settingsRow, c.index).trimmed().isEmpty())
            warning(m_settings, m_settingsRow, c.heading, reason);
    }
}

} // namespace kerbside
