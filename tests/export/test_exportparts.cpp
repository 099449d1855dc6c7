// SPDX-License-Identifier: Apache-2.0
// The export's building blocks: variable names, RFC 4180 CSV, JSON Lines, location grid.
#include "exportfixture.h"

#include "csvsink.h"
#include "isotime.h"
#include "jsonlsink.h"
#include "locationgrid.h"
#include "variablenamer.h"

#include <cmath>

using namespace kerbside;
using namespace kerbside::test;

TEST_CASE("VariableNamer makes SPSS names valid and unique", "[export]")
{
    VariableNamer n(VariableNamer::Format::Spss);
    CHECK(n.add(QStringLiteral("aware")) == QStringLiteral("aware"));
    CHECK(n.add(QStringLiteral("AWARE")) == QStringLiteral("AWARE_2")); // SPSS ignores case
    CHECK(n.add(QStringLiteral("1st_visit")) == QStringLiteral("v_1st_visit"));
    CHECK(n.add(QStringLiteral("_private")) == QStringLiteral("v_private"));
    CHECK(n.add(QStringLiteral("rate-drugs")) == QStringLiteral("rate_drugs"));
    CHECK(n.add(QStringLiteral("with")) == QStringLiteral("v_with"));
    CHECK(n.add(QStringLiteral("a.b.")) == QStringLiteral("a.b"));
    CHECK(n.add(QStringLiteral("wiek_zażółć")) == QStringLiteral("wiek_za____"));
    const QString longName(100, QLatin1Char('x'));
    const QString first = n.add(longName);
    const QString second = n.add(longName);
    CHECK(first.size() == 64);
    CHECK(second.size() == 64);
    CHECK(second.endsWith(QStringLiteral("_2")));
    CHECK(first != second);
}

TEST_CASE("VariableNamer makes Stata names valid and unique", "[export]")
{
    VariableNamer n(VariableNamer::Format::Stata);
    CHECK(n.add(QStringLiteral("heard_how.leaflet")) == QStringLiteral("heard_how_leaflet"));
    CHECK(n.add(QStringLiteral("in")) == QStringLiteral("v_in"));
    CHECK(n.add(QStringLiteral("str12")) == QStringLiteral("v_str12"));
    const QString a = n.add(QStringLiteral("involved_consultation_and_priorities_first"));
    const QString b = n.add(QStringLiteral("involved_consultation_and_priorities_second"));
    CHECK(a.size() == 32);
    CHECK(b.size() == 32);
    CHECK(a != b);
    CHECK(b.endsWith(QStringLiteral("_2")));
}

TEST_CASE("CsvSink writes RFC 4180 that Python's csv module reads back exactly", "[export]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("t.csv"));
    ExportTable t;
    for (const char *name : {"id", "text", "number"}) {
        ExportColumn c;
        c.name = QString::fromLatin1(name);
        t.columns.append(c);
    }
    const QList<QStringList> values = {
        {QStringLiteral("1"), QStringLiteral("plain"), QStringLiteral("3.5")},
        {QStringLiteral("2"), QStringLiteral("comma, inside"), QStringLiteral("")},
        {QStringLiteral("3"), QStringLiteral("she said \"no\""), QStringLiteral("-1")},
        {QStringLiteral("4"), QStringLiteral("two\r\nlines\nand a lone LF"), QStringLiteral("0")},
        {QStringLiteral("5"), QStringLiteral("Zażółć gęślą jaźń ✓"), QStringLiteral("1e3")},
    };
    {
        CsvSink sink(path, true);
        sink.begin(t, -1);
        for (const QStringList &v : values) {
            ExportRow row(3);
            for (int i = 0; i < 3; ++i) {
                if (!v[i].isEmpty())
                    row[i].set(v[i].toUtf8());
            }
            sink.row(row);
        }
        sink.finish();
        CHECK(sink.sha256Hex().size() == 64);
    }
    const QByteArray bytes = readAll(path);
    CHECK(bytes.startsWith("\xEF\xBB\xBFid,text,number\r\n"));
    CHECK(bytes.contains("\"comma, inside\""));
    CHECK(bytes.contains("\"she said \"\"no\"\"\""));
    CHECK(bytes.endsWith("\r\n"));
    const QList<QStringList> rows = pythonCsv(path);
    REQUIRE(rows.size() == 6);
    CHECK(rows[0] == QStringList{QStringLiteral("id"), QStringLiteral("text"), QStringLiteral("number")});
    for (int i = 0; i < values.size(); ++i)
        CHECK(rows[i + 1] == values[i]);
}

TEST_CASE("JsonlSink writes one valid JSON object per row with typed values and missing reasons", "[export]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("t.jsonl"));
    ExportTable t;
    auto col = [](const char *name, ColumnKind kind) {
        ExportColumn c;
        c.name = QString::fromLatin1(name);
        c.kind = kind;
        return c;
    };
    t.columns = {col("name", ColumnKind::Text), col("age", ColumnKind::Number), col("aware", ColumnKind::Code),
                 col("odd", ColumnKind::Number)};
    {
        JsonlSink sink(path);
        sink.begin(t, -1);
        ExportRow row(4);
        row[0].set("tab\there \"q\" \xC5\xBC");
        row[1].set("34", 34);
        row[2].set("yes", 1);
        row[3].set(".5"); // not JSON number syntax: kept as a string
        sink.row(row);
        row[1].missing(ExportCell::State::NotRelevant);
        row[2].missing(ExportCell::State::Refused);
        sink.row(row);
        sink.finish();
    }
    const QList<QByteArray> lines = readAll(path).split('\n');
    REQUIRE(lines.size() == 3); // two rows and the final newline
    const QJsonObject a = QJsonDocument::fromJson(lines[0]).object();
    CHECK(a.value(QStringLiteral("name")).toString() == QStringLiteral("tab\there \"q\" ż"));
    CHECK(a.value(QStringLiteral("age")).toDouble() == 34);
    CHECK(a.value(QStringLiteral("aware")).toString() == QStringLiteral("yes"));
    CHECK(a.value(QStringLiteral("odd")).toString() == QStringLiteral(".5"));
    CHECK_FALSE(a.contains(QStringLiteral("_missing")));
    const QJsonObject b = QJsonDocument::fromJson(lines[1]).object();
    CHECK(b.value(QStringLiteral("age")).isNull());
    CHECK(b.value(QStringLiteral("_missing")).toObject().value(QStringLiteral("age")).toString() == QStringLiteral("not_relevant"));
    CHECK(b.value(QStringLiteral("_missing")).toObject().value(QStringLiteral("aware")).toString() == QStringLiteral("refused_interview"));
}

TEST_CASE("LocationGrid rounds to a grid of the given size", "[export]")
{
    LocationGrid grid(500);
    double lat = 53.46631, lon = -2.23391, acc = 8;
    grid.apply(&lat, &lon, &acc);
    const double latStep = 500 / 111320.0;
    CHECK(std::abs(lat / latStep - std::round(lat / latStep)) < 1e-6);
    CHECK(std::abs(lat - 53.46631) <= latStep / 2 + 1e-9);
    // Rounded positions stay within half a cell diagonal (about 354 m) of the original.
    const double dy = (lat - 53.46631) * 111320.0;
    const double dx = (lon + 2.23391) * 111320.0 * std::cos(lat * M_PI / 180.0);
    CHECK(std::hypot(dx, dy) < 360);
    CHECK(acc == 500);
    // Two nearby points fall into the same cell.
    double lat2 = 53.46632, lon2 = -2.23392;
    grid.apply(&lat2, &lon2, nullptr);
    CHECK(lat2 == lat);
    CHECK(lon2 == lon);
    CHECK(grid.applyToGeopoint(QStringLiteral("53.46631 -2.23391 40 8"))
          == QStringLiteral("%1 %2 40 500").arg(LocationGrid::formatCoordinate(lat), LocationGrid::formatCoordinate(lon)));
    CHECK(LocationGrid().applyToGeopoint(QStringLiteral("53.1 -2.2 0 5")) == QStringLiteral("53.1 -2.2 0 5"));
}

TEST_CASE("isotime formats UTC times exactly as Qt::ISODate does", "[export]")
{
    const qint64 samples[] = {0, 1, 999, 1000, -1, -1000, -86400001, 951782400000 /* 2000-02-29 */,
                              1793368588123, 4102444799000 /* 2099-12-31T23:59:59 */, -2208988800000 /* 1900 */};
    for (qint64 ms : samples) {
        INFO(ms);
        CHECK(isotime::utcSeconds(ms) == QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate).toUtf8());
    }
    for (qint64 ms = -5000000000000LL; ms < 5000000000000LL; ms += 7777777777LL)
        REQUIRE(isotime::utcSeconds(ms) == QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate).toUtf8());
}
