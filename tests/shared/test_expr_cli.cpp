// SPDX-License-Identifier: Apache-2.0
// `kerbside expr` run as a real process: stdout lines, stderr and exit codes.
#include <catch2/catch.hpp>

#include "testpaths.h"

#include <QFileInfo>
#include <QProcess>

namespace {

struct Run {
    int exitCode = -1;
    QStringList out; // stdout lines
    QString err;
};

Run runExpr(const QStringList &args)
{
    const QString program = kerbside::test::binaryPath(QStringLiteral("bin/kerbside"));
    REQUIRE(QFileInfo::exists(program));
    QProcess p;
    p.start(program, QStringList{QStringLiteral("expr")} + args);
    REQUIRE(p.waitForFinished(30000));
    REQUIRE(p.exitStatus() == QProcess::NormalExit);
    Run r;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput()).split(u'\n');
    if (!r.out.isEmpty() && r.out.last().isEmpty())
        r.out.removeLast();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

TEST_CASE("kerbside expr prints the result and its type", "[expr][cli]")
{
    SECTION("boolean with --values")
    {
        const Run r = runExpr({QStringLiteral("${age} >= 18 and selected(${services}, 'bins')"),
                               QStringLiteral("--values"),
                               QStringLiteral(R"({"age": "34", "services": "bins noise"})")});
        CHECK(r.exitCode == 0);
        CHECK(r.out == QStringList{QStringLiteral("true"), QStringLiteral("boolean")});
        CHECK(r.err.isEmpty());
    }
    SECTION("numbers: shortest form, NaN, JSON numbers accepted")
    {
        CHECK(runExpr({QStringLiteral("1 div 4")}).out
              == QStringList{QStringLiteral("0.25"), QStringLiteral("number")});
        CHECK(runExpr({QStringLiteral("${x} * 2"), QStringLiteral("--values"), QStringLiteral(R"({"x": 21})")}).out
              == QStringList{QStringLiteral("42"), QStringLiteral("number")});
        CHECK(runExpr({QStringLiteral("${missing} + 1")}).out
              == QStringList{QStringLiteral("NaN"), QStringLiteral("number")});
        CHECK(runExpr({QStringLiteral("-1 div 0")}).out
              == QStringList{QStringLiteral("-Infinity"), QStringLiteral("number")});
    }
    SECTION("strings raw, the current value, lists as select_multiple answers")
    {
        CHECK(runExpr({QStringLiteral("concat('it''s', ' ', .)")}).exitCode == 2); // '' is no escape in XPath
        CHECK(runExpr({QStringLiteral("concat(\"it's \", .)"), QStringLiteral("--values"),
                       QStringLiteral(R"({".": "fine"})")}).out
              == QStringList{QStringLiteral("it's fine"), QStringLiteral("string")});
        CHECK(runExpr({QStringLiteral("count-selected(${s})"), QStringLiteral("--values"),
                       QStringLiteral(R"({"s": ["a", "b", "c"]})")}).out
              == QStringList{QStringLiteral("3"), QStringLiteral("number")});
    }
    SECTION("dates with a fixed clock")
    {
        const Run r = runExpr({QStringLiteral("today() - date('2026-01-01')"), QStringLiteral("--now"),
                               QStringLiteral("2026-11-24T10:30:00")});
        CHECK(r.exitCode == 0);
        CHECK(r.out == QStringList{QStringLiteral("327"), QStringLiteral("number")});
        CHECK(runExpr({QStringLiteral("date('2026-11-24')")}).out
              == QStringList{QStringLiteral("2026-11-24"), QStringLiteral("date")});
    }
    SECTION("jr:choice-name with --labels")
    {
        CHECK(runExpr({QStringLiteral("jr:choice-name(${f}, '${f}')"), QStringLiteral("--values"),
                       QStringLiteral(R"({"f": "y"})"), QStringLiteral("--labels"),
                       QStringLiteral(R"({"f": {"y": "Yes", "n": "No"}})")}).out
              == QStringList{QStringLiteral("Yes"), QStringLiteral("string")});
    }
}

TEST_CASE("kerbside expr reports syntax errors with a caret and exit code 2", "[expr][cli]")
{
    const Run r = runExpr({QStringLiteral("${age} >= 18)")});
    CHECK(r.exitCode == 2);
    CHECK(r.out.isEmpty());
    const QStringList lines = r.err.split(u'\n');
    REQUIRE(lines.size() >= 3);
    CHECK(lines[0] == QLatin1String("error: column 13: unexpected ')'"));
    CHECK(lines[1] == QLatin1String("  ${age} >= 18)"));
    CHECK(lines[2] == QLatin1String("              ^"));

    const Run unknown = runExpr({QStringLiteral("selectd(${a}, 'x')")});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err.startsWith(QLatin1String("error: column 1: unknown function 'selectd'")));
}

TEST_CASE("kerbside expr refuses bad --values with exit code 2", "[expr][cli]")
{
    const Run notJson = runExpr({QStringLiteral("1"), QStringLiteral("--values"), QStringLiteral("{age: 3")});
    CHECK(notJson.exitCode == 2);
    CHECK(notJson.out.isEmpty());
    CHECK(notJson.err.contains(QLatin1String("--values is not valid JSON")));

    const Run notObject = runExpr({QStringLiteral("1"), QStringLiteral("--values"), QStringLiteral("[1, 2]")});
    CHECK(notObject.exitCode == 2);
    CHECK(notObject.err.contains(QLatin1String("--values must be a JSON object")));

    const Run nested = runExpr({QStringLiteral("1"), QStringLiteral("--values"), QStringLiteral(R"({"a": {"b": 1}})")});
    CHECK(nested.exitCode == 2);
    CHECK(nested.err.contains(QLatin1String("the value of 'a' must be")));

    const Run noValue = runExpr({QStringLiteral("1"), QStringLiteral("--values")});
    CHECK(noValue.exitCode == 2);
    CHECK(noValue.err.contains(QLatin1String("--values needs a value")));

    const Run none = runExpr({});
    CHECK(none.exitCode == 2);
    CHECK(none.err.contains(QLatin1String("no expression given")));
}
