// SPDX-License-Identifier: Apache-2.0
#include "xlsformtype.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace kerbside {

namespace {

// Metadata -> the expression of the calculate that stands in when a ${name} refers to it.
// Names after pyxform's question type table, with its spoken aliases ("get start time").
const QHash<QString, QString> &metadataTypes()
{
    static const QHash<QString, QString> map {
        {QStringLiteral("start"), QStringLiteral("now()")},
        {QStringLiteral("start time"), QStringLiteral("now()")},
        {QStringLiteral("get start time"), QStringLiteral("now()")},
        {QStringLiteral("end"), QStringLiteral("now()")},
        {QStringLiteral("end time"), QStringLiteral("now()")},
        {QStringLiteral("get end time"), QStringLiteral("now()")},
        {QStringLiteral("today"), QStringLiteral("today()")},
        {QStringLiteral("get today"), QStringLiteral("today()")},
        {QStringLiteral("deviceid"), QStringLiteral("''")},
        {QStringLiteral("device id"), QStringLiteral("''")},
        {QStringLiteral("get device id"), QStringLiteral("''")},
        {QStringLiteral("imei"), QStringLiteral("''")},
        // Collect no longer reads these from the phone (Android forbids it): always empty.
        {QStringLiteral("subscriberid"), QStringLiteral("''")},
        {QStringLiteral("subscriber id"), QStringLiteral("''")},
        {QStringLiteral("get subscriber id"), QStringLiteral("''")},
        {QStringLiteral("simserial"), QStringLiteral("''")},
        {QStringLiteral("sim id"), QStringLiteral("''")},
        {QStringLiteral("get sim id"), QStringLiteral("''")},
        {QStringLiteral("phonenumber"), QStringLiteral("''")},
        {QStringLiteral("get phone number"), QStringLiteral("''")},
        {QStringLiteral("username"), QStringLiteral("''")},
        {QStringLiteral("email"), QStringLiteral("''")},
        {QStringLiteral("uri:deviceid"), QStringLiteral("''")},
        {QStringLiteral("uri:username"), QStringLiteral("''")},
        {QStringLiteral("uri:email"), QStringLiteral("''")},
        {QStringLiteral("uri:phonenumber"), QStringLiteral("''")},
        {QStringLiteral("uri:simserial"), QStringLiteral("''")},
        {QStringLiteral("uri:subscriberid"), QStringLiteral("''")},
        {QStringLiteral("start-geopoint"), QStringLiteral("''")},
        {QStringLiteral("background-geopoint"), QStringLiteral("''")},
        {QStringLiteral("audit"), QStringLiteral("''")},
    };
    return map;
}

// pyxform's question types (question_type_dictionary.py, lower case) -> Kerbside's type.
const QHash<QString, QString> &simpleTypes()
{
    static const QHash<QString, QString> map {
        {QStringLiteral("text"), QStringLiteral("text")},
        {QStringLiteral("geotrace"), QStringLiteral("geotrace")},
        {QStringLiteral("geoshape"), QStringLiteral("geoshape")},
        {QStringLiteral("q geotrace"), QStringLiteral("geotrace")},
        {QStringLiteral("q geoshape"), QStringLiteral("geoshape")},
        {QStringLiteral("string"), QStringLiteral("text")},
        {QStringLiteral("q string"), QStringLiteral("text")},
        {QStringLiteral("add text prompt"), QStringLiteral("text")},
        {QStringLiteral("integer"), QStringLiteral("integer")},
        {QStringLiteral("int"), QStringLiteral("integer")},
        {QStringLiteral("q int"), QStringLiteral("integer")},
        {QStringLiteral("add integer prompt"), QStringLiteral("integer")},
        {QStringLiteral("decimal"), QStringLiteral("decimal")},
        {QStringLiteral("q decimal"), QStringLiteral("decimal")},
        {QStringLiteral("add decimal prompt"), QStringLiteral("decimal")},
        {QStringLiteral("note"), QStringLiteral("note")},
        {QStringLiteral("q note"), QStringLiteral("note")},
        {QStringLiteral("add note prompt"), QStringLiteral("note")},
        {QStringLiteral("date"), QStringLiteral("date")},
        {QStringLiteral("q date"), QStringLiteral("date")},
        {QStringLiteral("add date prompt"), QStringLiteral("date")},
        {QStringLiteral("time"), QStringLiteral("time")},
        {QStringLiteral("q time"), QStringLiteral("time")},
        {QStringLiteral("add time prompt"), QStringLiteral("time")},
        {QStringLiteral("datetime"), QStringLiteral("datetime")},
        {QStringLiteral("date time"), QStringLiteral("datetime")},
        {QStringLiteral("q datetime"), QStringLiteral("datetime")},
        {QStringLiteral("q date time"), QStringLiteral("datetime")},
        {QStringLiteral("add datetime prompt"), QStringLiteral("datetime")},
        {QStringLiteral("add date time prompt"), QStringLiteral("datetime")},
        {QStringLiteral("geopoint"), QStringLiteral("geopoint")},
        {QStringLiteral("gps"), QStringLiteral("geopoint")},
        {QStringLiteral("location"), QStringLiteral("geopoint")},
        {QStringLiteral("q geopoint"), QStringLiteral("geopoint")},
        {QStringLiteral("q location"), QStringLiteral("geopoint")},
        {QStringLiteral("add location prompt"), QStringLiteral("geopoint")},
        {QStringLiteral("calculate"), QStringLiteral("calculate")},
        {QStringLiteral("q calculate"), QStringLiteral("calculate")},
        {QStringLiteral("add calculate prompt"), QStringLiteral("calculate")},
        // Typed in: Kerbside has no camera scanner (yet); the answer is the same text.
        {QStringLiteral("barcode"), QStringLiteral("text")},
        {QStringLiteral("q barcode"), QStringLiteral("text")},
        {QStringLiteral("add barcode prompt"), QStringLiteral("text")},
    };
    return map;
}

// pyxform's types that come with a built-in constraint (and hint).
struct Preset
{
    const char *type;
    const char *constraint;
};
const QHash<QString, Preset> &presetTypes()
{
    static const QHash<QString, Preset> map {
        {QStringLiteral("percentage"), {"integer", "0 <= . and . <= 100"}},
        {QStringLiteral("number of days in last month"), {"integer", "0 <= . and . <= 31"}},
        {QStringLiteral("number of days in last six months"), {"integer", "0 <= . and . <= 183"}},
        {QStringLiteral("number of days in last year"), {"integer", "0 <= . and . <= 365"}},
        {QStringLiteral("phone number"), {"text", "regex(., '^\\d*$')"}},
    };
    return map;
}

const QSet<QString> &acknowledgeTypes()
{
    static const QSet<QString> set {QStringLiteral("acknowledge"), QStringLiteral("q acknowledge"),
                                    QStringLiteral("add acknowledge prompt"), QStringLiteral("trigger")};
    return set;
}

// Media capture: the next step for Kerbside, refused with one clear message until then.
const QSet<QString> &mediaTypes()
{
    static const QSet<QString> set {
        QStringLiteral("image"),       QStringLiteral("photo"),          QStringLiteral("q picture"),
        QStringLiteral("q image"),     QStringLiteral("add image prompt"), QStringLiteral("add photo prompt"),
        QStringLiteral("audio"),       QStringLiteral("q audio"),        QStringLiteral("add audio prompt"),
        QStringLiteral("video"),       QStringLiteral("q video"),        QStringLiteral("add video prompt"),
        QStringLiteral("file"),        QStringLiteral("add file prompt"), QStringLiteral("background-audio"),
        QStringLiteral("signature"),
    };
    return set;
}

// XLSForm types Kerbside knows of but cannot ask (first word of the type cell).
const QSet<QString> &unsupportedTypes()
{
    static const QSet<QString> set {QStringLiteral("xml-external"),
                                    QStringLiteral("csv-external"),
                                    QStringLiteral("osm"),
                                    QStringLiteral("begin_loop"),
                                    QStringLiteral("end_loop")};
    return set;
}

} // namespace

XlsFormType XlsFormType::parse(const QString &cell)
{
    XlsFormType t;
    t.text = cell.simplified();
    const QString lower = t.text.toLower();
    const QString firstWord = lower.section(QLatin1Char(' '), 0, 0);

    static const QRegularExpression marker(
        QStringLiteral("^(begin|end)[ _](group|repeat|looped group|lgroup)$"));
    static const QRegularExpression select(
        QStringLiteral("^(select_one|select1|select one from|select one using|select one|q select1|"
                       "add select one prompt using|select_multiple|select all that apply from|"
                       "select all that apply|select multiple from|select multiple using|select multiple|"
                       "q select|add select multiple prompt using)"
                       "(?: (\\S+))?( or_other)?$"),
        QRegularExpression::CaseInsensitiveOption);

    static const QRegularExpression external(QStringLiteral("^select(?:_one_external| one external) (\\S+)$"),
                                             QRegularExpression::CaseInsensitiveOption);

    if (const auto m = marker.match(lower); m.hasMatch()) {
        const bool begin = m.captured(1) == u"begin";
        const bool group = m.captured(2) == u"group";
        t.kind = group ? (begin ? Kind::BeginGroup : Kind::EndGroup)
                       : (begin ? Kind::BeginRepeat : Kind::EndRepeat);
    } else if (metadataTypes().contains(lower)) {
        t.kind = Kind::Metadata;
        t.metadataExpression = metadataTypes().value(lower);
    } else if (const QString simple = simpleTypes().value(lower); !simple.isEmpty()) {
        t.kind = Kind::Question;
        t.type = simple;
    } else if (const auto preset = presetTypes().constFind(lower); preset != presetTypes().constEnd()) {
        t.kind = Kind::Question;
        t.type = QLatin1String(preset->type);
        t.presetConstraint = QLatin1String(preset->constraint);
    } else if (acknowledgeTypes().contains(lower)) {
        t.kind = Kind::Acknowledge;
    } else if (lower == u"hidden") {
        // A value with no control, set by the form's own logic: a calculate that starts empty.
        t.kind = Kind::Question;
        t.type = QStringLiteral("calculate");
        t.metadataExpression = QStringLiteral("''");
    } else if (const auto m = external.match(t.text); m.hasMatch()) {
        t.kind = Kind::Question;
        t.type = QStringLiteral("select_one");
        t.keyword = t.text.left(t.text.size() - m.captured(1).size() - 1);
        t.list = m.captured(1);
        t.external = true;
    } else if (firstWord == u"rank" || firstWord == u"odk:rank") {
        // rank LIST: the choices of LIST in the respondent's order.
        t.kind = Kind::Question;
        t.type = QStringLiteral("rank");
        t.keyword = t.text.section(QLatin1Char(' '), 0, 0);
        t.list = t.text.section(QLatin1Char(' '), 1, 1);
        if (!t.text.section(QLatin1Char(' '), 2).isEmpty())
            t.kind = Kind::Unknown; // "rank L or_other" and the like: pyxform refuses them too
    } else if (lower == u"range") {
        t.kind = Kind::Range;
    } else if (mediaTypes().contains(lower)) {
        t.kind = Kind::Media;
    } else if (firstWord.contains(QLatin1String("from_file"))
               || lower.startsWith(QLatin1String("select one from file"))
               || lower.startsWith(QLatin1String("select multiple from file"))) {
        // select_one_from_file FILE, select_multiple_from_file FILE and pyxform's spelled-out forms.
        static const QRegularExpression fromFile(
            QStringLiteral("^(select_one_from_file|select_multiple_from_file|select one from file|"
                           "select multiple from file)(?: (\\S+))?$"),
            QRegularExpression::CaseInsensitiveOption);
        t.kind = Kind::FromFile;
        if (const auto m = fromFile.match(t.text); m.hasMatch()) {
            t.keyword = m.captured(1);
            t.type = m.captured(1).contains(QLatin1String("one"), Qt::CaseInsensitive) ? QStringLiteral("select_one")
                                                                                      : QStringLiteral("select_multiple");
            t.list = m.captured(2);
        } else {
            t.kind = Kind::Unknown; // e.g. "select_one_from_file a.csv or_other", which pyxform refuses too
        }
    } else if (const auto m = select.match(t.text); m.hasMatch()) {
        const QString word = m.captured(1).toLower();
        t.kind = Kind::Question;
        t.type = word == u"select_one" || word.contains(QLatin1String("select1"))
                || word.contains(QLatin1String("select one"))
            ? QStringLiteral("select_one")
            : QStringLiteral("select_multiple");
        t.keyword = m.captured(1);
        t.list = m.captured(2);
        t.orOther = !m.captured(3).isEmpty();
    } else if (unsupportedTypes().contains(firstWord) || lower.startsWith(QLatin1String("begin loop"))
               || lower == u"end loop") {
        t.kind = Kind::Unsupported;
        t.keyword = lower.startsWith(QLatin1String("begin loop")) || lower == u"end loop"
            ? QStringLiteral("begin_loop")
            : firstWord;
    }
    return t;
}

} // namespace kerbside
