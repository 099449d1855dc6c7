// SPDX-License-Identifier: Apache-2.0
#include "xlsformtype.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace kerbside {

namespace {

// Metadata -> the expression of the calculate that stands in when a ${name} refers to it.
const QHash<QString, QString> &metadataTypes()
{
    static const QHash<QString, QString> map {
        {QStringLiteral("start"), QStringLiteral("now()")},
        {QStringLiteral("end"), QStringLiteral("now()")},
        {QStringLiteral("today"), QStringLiteral("today()")},
        {QStringLiteral("deviceid"), QStringLiteral("''")},
        {QStringLiteral("imei"), QStringLiteral("''")},
        {QStringLiteral("subscriberid"), QStringLiteral("''")},
        {QStringLiteral("simserial"), QStringLiteral("''")},
        {QStringLiteral("phonenumber"), QStringLiteral("''")},
        {QStringLiteral("username"), QStringLiteral("''")},
        {QStringLiteral("email"), QStringLiteral("''")},
        {QStringLiteral("uri:deviceid"), QStringLiteral("''")},
        {QStringLiteral("uri:username"), QStringLiteral("''")},
        {QStringLiteral("uri:email"), QStringLiteral("''")},
        {QStringLiteral("uri:phonenumber"), QStringLiteral("''")},
        {QStringLiteral("uri:simserial"), QStringLiteral("''")},
        {QStringLiteral("uri:subscriberid"), QStringLiteral("''")},
        {QStringLiteral("start-geopoint"), QStringLiteral("''")},
        {QStringLiteral("audit"), QStringLiteral("''")},
    };
    return map;
}

const QHash<QString, QString> &simpleTypes()
{
    static const QHash<QString, QString> map {
        {QStringLiteral("text"), QStringLiteral("text")},
        {QStringLiteral("string"), QStringLiteral("text")},
        {QStringLiteral("integer"), QStringLiteral("integer")},
        {QStringLiteral("int"), QStringLiteral("integer")},
        {QStringLiteral("decimal"), QStringLiteral("decimal")},
        {QStringLiteral("note"), QStringLiteral("note")},
        {QStringLiteral("date"), QStringLiteral("date")},
        {QStringLiteral("time"), QStringLiteral("time")},
        {QStringLiteral("datetime"), QStringLiteral("datetime")},
        {QStringLiteral("geopoint"), QStringLiteral("geopoint")},
        {QStringLiteral("calculate"), QStringLiteral("calculate")},
    };
    return map;
}

// XLSForm types Kerbside knows of but cannot ask (first word of the type cell).
const QSet<QString> &unsupportedTypes()
{
    static const QSet<QString> set {QStringLiteral("range"),
                                    QStringLiteral("rank"),
                                    QStringLiteral("geotrace"),
                                    QStringLiteral("geoshape"),
                                    QStringLiteral("image"),
                                    QStringLiteral("photo"),
                                    QStringLiteral("audio"),
                                    QStringLiteral("video"),
                                    QStringLiteral("file"),
                                    QStringLiteral("barcode"),
                                    QStringLiteral("background-audio"),
                                    QStringLiteral("hidden"),
                                    QStringLiteral("xml-external"),
                                    QStringLiteral("csv-external"),
                                    QStringLiteral("select_one_external"),
                                    QStringLiteral("osm"),
                                    QStringLiteral("trigger"),
                                    QStringLiteral("begin_loop"),
                                    QStringLiteral("end_loop"),
                                    QStringLiteral("signature")};
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
        QStringLiteral("^(select_one|select1|select one from|select one|select_multiple|"
                       "select all that apply from|select all that apply|select multiple)"
                       "(?: (\\S+))?( or_other)?$"),
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
    } else if (lower == u"acknowledge") {
        t.kind = Kind::Acknowledge;
    } else if (firstWord.contains(QLatin1String("from_file"))
               || lower.startsWith(QLatin1String("select one from file"))
               || lower.startsWith(QLatin1String("select multiple from file"))) {
        t.kind = Kind::FromFile;
        t.keyword = t.text.section(QLatin1Char(' '), 0, 0);
    } else if (const auto m = select.match(t.text); m.hasMatch()) {
        const QString word = m.captured(1).toLower();
        t.kind = Kind::Question;
        t.type = word == u"select_one" || word == u"select1" || word.startsWith(QLatin1String("select one"))
            ? QStringLiteral("select_one")
            : QStringLiteral("select_multiple");
        t.keyword = m.captured(1);
        t.list = m.captured(2);
        t.orOther = !m.captured(3).isEmpty();
    } else if (unsupportedTypes().contains(firstWord)) {
        t.kind = Kind::Unsupported;
    }
    return t;
}

} // namespace kerbside
