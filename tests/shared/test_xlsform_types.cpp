// SPDX-License-Identifier: Apache-2.0
// rank, geotrace and geoshape from an XLSForm: imported, loaded, and checked in an interview
// as ODK stores them; and the note a question renamed at import carries for the codebook.
#include "xlsxfixture.h"

#include "form/answerformat.h"
#include "form/formloader.h"
#include "interview/interview.h"
#include "xlsform/xlsformimporter.h"

#include <QJsonArray>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace kerbside;
using kerbside::test::XlsxFixture;

TEST_CASE("xlsform rank, geotrace, geoshape: imported, loaded, and checked as ODK stores them")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("types.xlsx"));
    {
        XlsxFixture fixture(path);
        fixture.sheet("survey", {{"type", "name", "label", "choice_filter"},
                                 {"rank priorities", "order", "Put these in order"},
                                 {"odk:rank priorities", "order_north", "Northern ones", "zone = 'n'"},
                                 {"geotrace", "route", "Walk the route"},
                                 {"geoshape", "plot", "Walk round the plot"},
                                 {"rank", "bare", "No list"}});
        fixture.sheet("choices", {{"list_name", "name", "label", "zone"},
                                  {"priorities", "bins", "Bins", "n"},
                                  {"priorities", "lights", "Lights", "s"},
                                  {"priorities", "roads", "Roads", "n"}});
        REQUIRE(fixture.close());
    }
    XlsFormImportResult r = XlsFormImporter::importFile(path);
    QStringList problems;
    for (const XlsFormProblem &p : r.problems)
        problems << p.toString();
    CHECK(problems == QStringList {QStringLiteral("survey row 6, column type: rank needs a list name, e.g. 'rank yes_no'")});

    {
        XlsxFixture fixture(path);
        fixture.sheet("survey", {{"type", "name", "label", "choice_filter"},
                                 {"rank priorities", "order", "Put these in order"},
                                 {"odk:rank priorities", "order_north", "Northern ones", "zone = 'n'"},
                                 {"geotrace", "route", "Walk the route"},
                                 {"geoshape", "plot", "Walk round the plot"}});
        fixture.sheet("choices", {{"list_name", "name", "label", "zone"},
                                  {"priorities", "bins", "Bins", "n"},
                                  {"priorities", "lights", "Lights", "s"},
                                  {"priorities", "roads", "Roads", "n"}});
        REQUIRE(fixture.close());
    }
    r = XlsFormImporter::importFile(path);
    REQUIRE(r.ok());
    const FormLoadResult loaded = FormLoader::loadObject(r.form);
    REQUIRE(loaded.ok());
    const Form &form = *loaded.form;
    CHECK(form.question(QStringLiteral("order"))->type == QuestionType::Rank);
    CHECK(form.question(QStringLiteral("order"))->choiceList == QStringLiteral("priorities"));
    CHECK(form.question(QStringLiteral("route"))->type == QuestionType::Geotrace);
    CHECK(form.question(QStringLiteral("plot"))->type == QuestionType::Geoshape);

    Interview iv(form);
    auto ok = [&](const char *q, const char *v) { return iv.checkValue(QLatin1String(q), QLatin1String(v)).ok(); };
    CHECK(ok("order", "roads bins lights"));
    CHECK_FALSE(ok("order", "roads bins"));              // every choice needs a place
    CHECK_FALSE(ok("order", "roads bins bins lights"));  // once
    CHECK_FALSE(ok("order", "roads bins parks"));        // not a choice
    CHECK(ok("order_north", "roads bins"));              // the filtered ones only
    CHECK_FALSE(ok("order_north", "roads bins lights"));
    CHECK(iv.checkValue(QStringLiteral("order"), QStringLiteral("roads")).message
          == QStringLiteral("Please put every choice in order."));

    CHECK(ok("route", "53.4668 -2.2339 0 8.5;53.4670 -2.2341 0 6"));
    CHECK(ok("route", "53.4668 -2.2339; 53.4670 -2.2341"));
    CHECK_FALSE(ok("route", "53.4668 -2.2339 0 8.5"));
    CHECK_FALSE(ok("route", "53.4668 -2.2339 0 8.5;95 0 0 1"));
    CHECK_FALSE(ok("route", "53.4668 -2.2339 0 8.5;;"));
    const char *closed = "53.1 -2.1 0 5;53.2 -2.1 0 5;53.2 -2.2 0 5;53.1 -2.1 0 5";
    CHECK(ok("plot", closed));
    CHECK_FALSE(ok("plot", "53.1 -2.1 0 5;53.2 -2.1 0 5;53.2 -2.2 0 5;53.1 -2.3 0 5")); // open
    CHECK_FALSE(ok("plot", "53.1 -2.1 0 5;53.2 -2.1 0 5;53.1 -2.1 0 5"));               // 2 corners
    CHECK(iv.checkValue(QStringLiteral("plot"), QStringLiteral("53.1 -2.1")).message
          == QStringLiteral("The shape needs at least 3 corners and must end where it starts. Please record it again."));

    CHECK(answerformat::geoshapeProblem(u"53.1 -2.1;53.2 -2.1;53.2 -2.2;53.1 -2.3")
          == QStringLiteral("a shape must end where it starts (the last point equal to the first)"));
    CHECK(answerformat::rankProblem(u"a b", {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")})
          == QStringLiteral("2 of 3 choices are ranked; every choice needs a place"));
}

TEST_CASE("xlsform the same name in two groups: the renamed question keeps its XLSForm name and path")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("groups.xlsx"));
    {
        XlsxFixture fixture(path);
        fixture.sheet("survey", {{"type", "name", "label"},
                                 {"begin group", "adult", "Adult"},
                                 {"integer", "age", "Age"},
                                 {"end group"},
                                 {"begin group", "child", "Child"},
                                 {"begin group", "school", "School"},
                                 {"integer", "age", "Age at school"},
                                 {"end group"},
                                 {"end group"}});
        REQUIRE(fixture.close());
    }
    const XlsFormImportResult r = XlsFormImporter::importFile(path);
    REQUIRE(r.ok());
    const FormLoadResult loaded = FormLoader::loadObject(r.form);
    REQUIRE(loaded.ok());
    CHECK(loaded.form->question(QStringLiteral("age"))->renamedFrom.isEmpty());
    const Question *renamed = loaded.form->question(QStringLiteral("school_age"));
    REQUIRE(renamed);
    CHECK(renamed->renamedFrom == QStringLiteral("child/school/age"));
}
