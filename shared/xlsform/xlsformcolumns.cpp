// SPDX-License-Identifier: Apache-2.0
#include "xlsformcolumns.h"

#include <QHash>
#include <QRegularExpression>

namespace kerbside {

namespace {

// Heading (lower case) -> canonical key, after pyxform's aliases.py.
const QHash<QString, QString> &surveyAliases()
{
    static const QHash<QString, QString> map {
        {QStringLiteral("type"), QStringLiteral("type")},
        {QStringLiteral("command"), QStringLiteral("type")},
        {QStringLiteral("name"), QStringLiteral("name")},
        {QStringLiteral("tag"), QStringLiteral("name")},
        {QStringLiteral("value"), QStringLiteral("name")},
        {QStringLiteral("label"), QStringLiteral("label")},
        {QStringLiteral("caption"), QStringLiteral("label")},
        {QStringLiteral("hint"), QStringLiteral("hint")},
        {QStringLiteral("required"), QStringLiteral("required")},
        {QStringLiteral("required_message"), QStringLiteral("required_message")},
        {QStringLiteral("required message"), QStringLiteral("required_message")},
        {QStringLiteral("requiredmsg"), QStringLiteral("required_message")},
        {QStringLiteral("jr:requiredmsg"), QStringLiteral("required_message")},
        {QStringLiteral("relevant"), QStringLiteral("relevant")},
        {QStringLiteral("relevance"), QStringLiteral("relevant")},
        {QStringLiteral("constraint"), QStringLiteral("constraint")},
        {QStringLiteral("constraint_message"), QStringLiteral("constraint_message")},
        {QStringLiteral("constraint message"), QStringLiteral("constraint_message")},
        {QStringLiteral("constraining message"), QStringLiteral("constraint_message")},
        {QStringLiteral("constraining_message"), QStringLiteral("constraint_message")},
        {QStringLiteral("constraintmsg"), QStringLiteral("constraint_message")},
        {QStringLiteral("jr:constraintmsg"), QStringLiteral("constraint_message")},
        {QStringLiteral("calculation"), QStringLiteral("calculation")},
        {QStringLiteral("calculate"), QStringLiteral("calculation")},
        {QStringLiteral("choice_filter"), QStringLiteral("choice_filter")},
        {QStringLiteral("choice filter"), QStringLiteral("choice_filter")},
        {QStringLiteral("appearance"), QStringLiteral("appearance")},
        {QStringLiteral("default"), QStringLiteral("default")},
        {QStringLiteral("read_only"), QStringLiteral("read_only")},
        {QStringLiteral("readonly"), QStringLiteral("read_only")},
        {QStringLiteral("parameters"), QStringLiteral("parameters")},
        {QStringLiteral("repeat_count"), QStringLiteral("repeat_count")},
        {QStringLiteral("jr:count"), QStringLiteral("repeat_count")},
        {QStringLiteral("count"), QStringLiteral("repeat_count")},
        {QStringLiteral("control::jr:count"), QStringLiteral("repeat_count")},
        {QStringLiteral("sensitive"), QStringLiteral("sensitive")}, // Kerbside's own column
    };
    return map;
}

const QHash<QString, QString> &choicesAliases()
{
    static const QHash<QString, QString> map {
        {QStringLiteral("list_name"), QStringLiteral("list_name")},
        {QStringLiteral("list name"), QStringLiteral("list_name")},
        {QStringLiteral("name"), QStringLiteral("name")},
        {QStringLiteral("value"), QStringLiteral("name")},
        {QStringLiteral("label"), QStringLiteral("label")},
        {QStringLiteral("caption"), QStringLiteral("label")},
    };
    return map;
}

const QHash<QString, QString> &settingsAliases()
{
    static const QHash<QString, QString> map {
        {QStringLiteral("form_title"), QStringLiteral("form_title")},
        {QStringLiteral("title"), QStringLiteral("form_title")},
        {QStringLiteral("set form title"), QStringLiteral("form_title")},
        {QStringLiteral("set_form_title"), QStringLiteral("form_title")},
        {QStringLiteral("form_id"), QStringLiteral("form_id")},
        {QStringLiteral("id_string"), QStringLiteral("form_id")},
        {QStringLiteral("set form id"), QStringLiteral("form_id")},
        {QStringLiteral("set_form_id"), QStringLiteral("form_id")},
        {QStringLiteral("version"), QStringLiteral("version")},
        {QStringLiteral("default_language"), QStringLiteral("default_language")},
        {QStringLiteral("clean_text_values"), QStringLiteral("clean_text_values")},
    };
    return map;
}

// Media columns (image, audio, ...) take a language too; Kerbside has no media, so they are read
// only to be recognised and left out.
bool isMedia(const QString &key)
{
    return key == u"image" || key == u"big-image" || key == u"audio" || key == u"video" || key == u"media";
}

// Language names seen in XLSForms -> ISO 639-1 codes.
const QHash<QString, QString> &languageNames()
{
    static const QHash<QString, QString> map {
        {QStringLiteral("english"), QStringLiteral("en")},
        {QStringLiteral("french"), QStringLiteral("fr")},
        {QStringLiteral("français"), QStringLiteral("fr")},
        {QStringLiteral("francais"), QStringLiteral("fr")},
        {QStringLiteral("spanish"), QStringLiteral("es")},
        {QStringLiteral("español"), QStringLiteral("es")},
        {QStringLiteral("espanol"), QStringLiteral("es")},
        {QStringLiteral("portuguese"), QStringLiteral("pt")},
        {QStringLiteral("português"), QStringLiteral("pt")},
        {QStringLiteral("swahili"), QStringLiteral("sw")},
        {QStringLiteral("kiswahili"), QStringLiteral("sw")},
        {QStringLiteral("chinese"), QStringLiteral("zh")},
        {QStringLiteral("polish"), QStringLiteral("pl")},
        {QStringLiteral("polski"), QStringLiteral("pl")},
        {QStringLiteral("german"), QStringLiteral("de")},
        {QStringLiteral("deutsch"), QStringLiteral("de")},
        {QStringLiteral("arabic"), QStringLiteral("ar")},
        {QStringLiteral("hindi"), QStringLiteral("hi")},
        {QStringLiteral("russian"), QStringLiteral("ru")},
        {QStringLiteral("italian"), QStringLiteral("it")},
        {QStringLiteral("dutch"), QStringLiteral("nl")},
        {QStringLiteral("bengali"), QStringLiteral("bn")},
        {QStringLiteral("bangla"), QStringLiteral("bn")},
        {QStringLiteral("urdu"), QStringLiteral("ur")},
        {QStringLiteral("amharic"), QStringLiteral("am")},
        {QStringLiteral("hausa"), QStringLiteral("ha")},
        {QStringLiteral("yoruba"), QStringLiteral("yo")},
        {QStringLiteral("igbo"), QStringLiteral("ig")},
        {QStringLiteral("zulu"), QStringLiteral("zu")},
        {QStringLiteral("xhosa"), QStringLiteral("xh")},
        {QStringLiteral("somali"), QStringLiteral("so")},
        {QStringLiteral("turkish"), QStringLiteral("tr")},
        {QStringLiteral("vietnamese"), QStringLiteral("vi")},
        {QStringLiteral("indonesian"), QStringLiteral("id")},
        {QStringLiteral("thai"), QStringLiteral("th")},
        {QStringLiteral("nepali"), QStringLiteral("ne")},
        {QStringLiteral("japanese"), QStringLiteral("ja")},
        {QStringLiteral("korean"), QStringLiteral("ko")},
        {QStringLiteral("ukrainian"), QStringLiteral("uk")},
        {QStringLiteral("romanian"), QStringLiteral("ro")},
        {QStringLiteral("greek"), QStringLiteral("el")},
        {QStringLiteral("persian"), QStringLiteral("fa")},
        {QStringLiteral("farsi"), QStringLiteral("fa")},
        {QStringLiteral("dari"), QStringLiteral("prs")},
        {QStringLiteral("pashto"), QStringLiteral("ps")},
        {QStringLiteral("tigrinya"), QStringLiteral("ti")},
        {QStringLiteral("oromo"), QStringLiteral("om")},
        {QStringLiteral("kinyarwanda"), QStringLiteral("rw")},
        {QStringLiteral("luganda"), QStringLiteral("lg")},
        {QStringLiteral("shona"), QStringLiteral("sn")},
        {QStringLiteral("malagasy"), QStringLiteral("mg")},
        {QStringLiteral("burmese"), QStringLiteral("my")},
        {QStringLiteral("khmer"), QStringLiteral("km")},
        {QStringLiteral("lao"), QStringLiteral("lo")},
        {QStringLiteral("tagalog"), QStringLiteral("tl")},
        {QStringLiteral("czech"), QStringLiteral("cs")},
        {QStringLiteral("slovak"), QStringLiteral("sk")},
        {QStringLiteral("hungarian"), QStringLiteral("hu")},
        {QStringLiteral("swedish"), QStringLiteral("sv")},
        {QStringLiteral("norwegian"), QStringLiteral("no")},
        {QStringLiteral("danish"), QStringLiteral("da")},
        {QStringLiteral("finnish"), QStringLiteral("fi")},
        {QStringLiteral("welsh"), QStringLiteral("cy")},
        {QStringLiteral("irish"), QStringLiteral("ga")},
        {QStringLiteral("punjabi"), QStringLiteral("pa")},
        {QStringLiteral("tamil"), QStringLiteral("ta")},
        {QStringLiteral("lithuanian"), QStringLiteral("lt")},
    };
    return map;
}

} // namespace

QString XlsFormColumns::languageCode(const QString &spec)
{
    static const QRegularExpression inParentheses(QStringLiteral("\\(([^()]+)\\)\\s*$"));
    static const QRegularExpression looksLikeCode(QStringLiteral("^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"));
    const QString s = spec.simplified();
    if (const QRegularExpressionMatch m = inParentheses.match(s); m.hasMatch())
        return m.captured(1).trimmed(); // the author's own code, as written ("pt-BR")
    const QString lower = s.toLower();
    if (auto it = languageNames().constFind(lower); it != languageNames().constEnd())
        return *it;
    if (looksLikeCode.match(s).hasMatch())
        return lower;
    // An unknown language name: the name is the code, in a form Kerbside accepts as one.
    QString code = lower;
    code.replace(QLatin1Char(' '), QLatin1Char('_'));
    return code;
}

bool XlsFormColumns::isTranslatable(const QString &key)
{
    return key == u"label" || key == u"hint" || key == u"constraint_message" || key == u"required_message"
        || isMedia(key);
}

void XlsFormColumns::parse(const XlsxSheet &sheet, SheetKind kind)
{
    m_columns.clear();
    m_headerRow = 0;
    for (auto row = sheet.rows.constBegin(); row != sheet.rows.constEnd() && !m_headerRow; ++row) {
        for (const QString &text : row.value()) {
            if (!text.trimmed().isEmpty()) {
                m_headerRow = row.key();
                break;
            }
        }
    }
    if (!m_headerRow)
        return;
    const QHash<QString, QString> &aliases = kind == SheetKind::Survey ? surveyAliases()
        : kind == SheetKind::Choices                                   ? choicesAliases()
                                                                       : settingsAliases();
    const QMap<int, QString> &cells = sheet.rows.value(m_headerRow);
    int previous = 0;
    for (auto cell = cells.constBegin(); cell != cells.constEnd(); ++cell) {
        const QString heading = cell.value().simplified();
        if (heading.isEmpty())
            continue;
        if (cell.key() - previous - 1 >= 20)
            break; // pyxform stops reading after 20 adjacent empty columns
        previous = cell.key();

        Column c;
        c.index = cell.key();
        c.heading = heading;
        const QString lower = heading.toLower();
        QString base = lower;
        QString language;
        bool translated = false;
        if (const qsizetype sep = lower.indexOf(QLatin1String("::")); sep > 0) {
            base = lower.left(sep).trimmed();
            language = heading.mid(sep + 2);
            translated = true;
        } else if (const qsizetype colon = lower.indexOf(QLatin1Char(':')); colon > 0
                   && !aliases.contains(lower)
                   && isTranslatable(aliases.value(lower.left(colon).trimmed(),
                                                   lower.left(colon).trimmed()))) {
            base = lower.left(colon).trimmed(); // the older label:English form
            language = heading.mid(colon + 1);
            translated = true;
        }
        if (auto it = aliases.constFind(base); it != aliases.constEnd()) {
            c.key = *it;
            c.known = true;
        } else if (isMedia(base)) {
            c.key = base;
        } else {
            c.key = heading; // kept as written: choice_filter reads extra columns by this name
            translated = false;
        }
        if (translated && isTranslatable(c.key)) {
            c.translated = true;
            c.language = languageCode(language);
        }
        m_columns.append(c);
    }
}

const XlsFormColumns::Column *XlsFormColumns::find(const QString &key, const QString &language) const
{
    for (const Column &c : m_columns) {
        if (c.key == key && c.language.compare(language, Qt::CaseInsensitive) == 0)
            return &c;
    }
    return nullptr;
}

bool XlsFormColumns::has(const QString &key) const
{
    for (const Column &c : m_columns) {
        if (c.key == key)
            return true;
    }
    return false;
}

QStringList XlsFormColumns::languages() const
{
    QStringList codes;
    for (const Column &c : m_columns) {
        if (c.translated && c.known && isTranslatable(c.key) && !isMedia(c.key)) {
            bool seen = false;
            for (const QString &code : codes)
                seen = seen || code.compare(c.language, Qt::CaseInsensitive) == 0;
            if (!seen)
                codes.append(c.language);
        }
    }
    return codes;
}

} // namespace kerbside
