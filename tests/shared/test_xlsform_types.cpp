// SPDX-License-Identifier: Apache-2.0
// rank, geotrace and geoshape from an XLSForm: imported, loaded, and checked in an interview
// as ODK stores them; and the note a question renamed at import carries for the codebook.
#include "xlsxfixture.h"

#include "form/answerformat.h"
#include "form/formloader.h"
#include "interview/interview.h"
#include "xlsform/xlsformimporter.h"
#include "xlsform/xlsformtype.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace kerbside;
using kerbside::test::XlsxFixture;

TEST_CASE("xlsform rank, geotrace, geoshape: imported, loaded, and checked as ODK stores them")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("types.xlsx"));
    // The survey, with or without a last row: a rank without a list.
    auto write = [&](bool bareRank) {
        kerbside::test::Rows survey {{"type", "name", "label", "choice_filter"},
                                     {"rank priorities", "order", "Put these in order"},
                                     {"odk:rank priorities", "order_north", "Northern ones", "zone = 'n'"},
                                     {"geotrace", "route", "Walk the route"},
                                     {"geoshape", "plot", "Walk round the plot"}};
        if (bareRank)
            survey.push_back({"rank", "bare", "No list"});
        XlsxFixture fixture(path);
        fixture.sheet("survey", survey);
        fixture.sheet("choices", {{"list_name", "name", "label", "zone"},
                                  {"priorities", "bins", "Bins", "n"},
                                  {"priorities", "lights", "Lights", "s"},
                                  {"priorities", "roads", "Roads", "n"}});
        REQUIRE(fixture.close());
    };
    write(true);
    XlsFormImportResult r = XlsFormImporter::importFile(path);
    QStringList problems;
    for (const XlsFormProblem &p : r.problems)
        problems << p.toString();
    CHECK(problems == QStringList {QStringLiteral("survey row 6, column type: rank needs a list name, e.g. 'rank yes_no'")});

    write(false);
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

// Every type name in pyxform's question_type_dictionary.py (XLSForm/pyxform 51e5bfe, v4.5.0), as
// an author may write it: each is read as some Kerbside type, or refused for a reason forms/README.md
// lists (media; osm, xml-external, csv-external). None is "unknown".
TEST_CASE("xlsform types: pyxform's whole question type table is known")
{
    static const char *const kPyxformTypes[] = {
        "q picture", "photo", "add date time prompt", "add audio prompt", "q date time", "phonenumber",
        "get start time", "add select multiple prompt using", "add note prompt", "calculate", "acknowledge",
        "location", "text", "select all that apply from", "simserial", "string", "q string", "imei", "integer",
        "datetime", "q note", "subscriber id", "decimal", "dateTime", "q audio", "q geopoint", "q geoshape",
        "q geotrace", "q image", "get today", "video", "q acknowledge", "add video prompt",
        "number of days in last month", "get sim id", "q location", "select one", "select one external",
        "add image prompt", "select all that apply", "get end time", "barcode", "q video", "geopoint", "geoshape",
        "geotrace", "select multiple from", "end time", "device id", "subscriberid", "q barcode", "q select",
        "select one using", "rank", "image", "q int", "add text prompt", "add date prompt", "q calculate", "start",
        "trigger", "add acknowledge prompt", "percentage", "get phone number", "today", "gps", "q date", "sim id",
        "add decimal prompt", "number of days in last six months", "deviceid", "int", "add barcode prompt",
        "select multiple using", "q decimal", "end", "add calculate prompt", "add dateTime prompt", "note",
        "add location prompt", "get subscriber id", "phone number", "get device id", "add integer prompt",
        "q dateTime", "date", "q select1", "start time", "number of days in last year", "date time", "time",
        "audio", "add select one prompt using", "hidden", "uri:subscriberid", "uri:phonenumber", "uri:simserial",
        "uri:deviceid", "username", "uri:username", "email", "uri:email", "osm", "file", "add file prompt", "range",
        "audit", "xml-external", "csv-external", "start-geopoint", "background-audio", "background-geopoint",
    };
    static const QSet<QString> media {QStringLiteral("q picture"), QStringLiteral("photo"),
                                      QStringLiteral("add audio prompt"), QStringLiteral("q audio"),
                                      QStringLiteral("q image"), QStringLiteral("video"),
                                      QStringLiteral("add video prompt"), QStringLiteral("add image prompt"),
                                      QStringLiteral("q video"), QStringLiteral("image"), QStringLiteral("audio"),
                                      QStringLiteral("file"), QStringLiteral("add file prompt"),
                                      QStringLiteral("background-audio")};
    static const QSet<QString> unsupported {QStringLiteral("osm"), QStringLiteral("xml-external"),
                                            QStringLiteral("csv-external")};
    for (const char *name : kPyxformTypes) {
        QString cell = QLatin1String(name);
        const bool select = cell.contains(QLatin1String("select")) || cell == u"rank";
        if (select)
            cell += QStringLiteral(" places"); // a list name, as every select needs
        INFO(cell.toStdString());
        const XlsFormType t = XlsFormType::parse(cell);
        CHECK(t.kind != XlsFormType::Kind::Unknown);
        if (media.contains(QLatin1String(name)))
            CHECK(t.kind == XlsFormType::Kind::Media);
        else if (unsupported.contains(QLatin1String(name)))
            CHECK(t.kind == XlsFormType::Kind::Unsupported);
        else
            CHECK((t.kind != XlsFormType::Kind::Media && t.kind != XlsFormType::Kind::Unsupported));
        if (select) {
            CHECK(t.isSelect());
            CHECK(t.list == QStringLiteral("places"));
            CHECK(t.external == cell.contains(QLatin1String("external")));
        }
    }
    // Beyond the table: the spellings of aliases.py (select_one_from_file's spoken forms, the
    // control words), and the loop, which Kerbside refuses.
    CHECK(XlsFormType::parse(QStringLiteral("select one from file a.csv")).kind == XlsFormType::Kind::FromFile);
    CHECK(XlsFormType::parse(QStringLiteral("select_multiple_from_file a.csv")).type == QStringLiteral("select_multiple"));
    CHECK(XlsFormType::parse(QStringLiteral("begin looped group")).kind == XlsFormType::Kind::BeginRepeat);
    CHECK(XlsFormType::parse(QStringLiteral("end lgroup")).kind == XlsFormType::Kind::EndRepeat);
    CHECK(XlsFormType::parse(QStringLiteral("begin loop over places")).kind == XlsFormType::Kind::Unsupported);
    CHECK(XlsFormType::parse(QStringLiteral("end loop")).kind == XlsFormType::Kind::Unsupported);
    CHECK(XlsFormType::parse(QStringLiteral("q geotrace")).type == QStringLiteral("geotrace"));
    CHECK(XlsFormType::parse(QStringLiteral("select one external places")).keyword == QStringLiteral("select one external"));
}

// The column headings of aliases.py (survey_header, list_header, settings_header) and the types
// Kerbside refuses: each refusal names the row and says what the type is.
TEST_CASE("xlsform types: pyxform's heading aliases; osm, loops and external instances refused by name")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("aliases.xlsx"));
    {
        XlsxFixture fixture(path);
        fixture.sheet("survey", {{"command", "tag", "caption", "relevance", "constraining_message", "constraint", "count"},
                                 {"integer", "n", "How many?", "", "", ""},
                                 {"text", "t", "Text", "${n} > 0", "Too short", "string-length(.) > 1"},
                                 {"begin repeat", "r", "Each", "", "", "", "${n}"},
                                 {"text", "each", "One"},
                                 {"end repeat"},
                                 {"background-geopoint", "bg"}});
        fixture.sheet("choices", {{"list name", "value", "caption"}, {"yn", "y", "Yes"}});
        fixture.sheet("settings", {{"set_form_id", "set_form_title"}, {"alias_test", "Alias test"}});
        REQUIRE(fixture.close());
    }
    XlsFormImportResult r = XlsFormImporter::importFile(path);
    QStringList problems;
    for (const XlsFormProblem &p : r.problems)
        problems << p.toString();
    INFO(problems.join(QLatin1Char('\n')).toStdString());
    REQUIRE(r.ok());
    CHECK(r.form.value(QStringLiteral("id")) == QStringLiteral("alias_test"));
    CHECK(r.form.value(QStringLiteral("title")).toObject().value(QStringLiteral("en")) == QStringLiteral("Alias test"));
    const FormLoadResult loaded = FormLoader::loadObject(r.form);
    REQUIRE(loaded.ok());
    const Question *t = loaded.form->question(QStringLiteral("t"));
    REQUIRE(t);
    CHECK(t->label.text(QStringLiteral("en")) == QStringLiteral("Text"));
    CHECK(t->relevant.text() == QStringLiteral("${n} > 0"));
    CHECK(t->constraintMessage.text(QStringLiteral("en")) == QStringLiteral("Too short"));
    const int repeat = loaded.form->groupIndexOf(QStringLiteral("r"));
    REQUIRE(repeat >= 0);
    CHECK(loaded.form->groups[repeat].repeatCount.text() == QStringLiteral("${n}"));
    CHECK(loaded.form->choiceLists.value(QStringLiteral("yn")).choices.value(0).name == QStringLiteral("y"));
    CHECK_FALSE(loaded.form->question(QStringLiteral("bg")));
    QStringList warnings;
    for (const XlsFormProblem &w : r.warnings)
        warnings << w.toString();
    CHECK(warnings.contains(QStringLiteral("survey row 7, column command: background-geopoint: Kerbside records where "
                                           "each interview starts with the response, not where a question is "
                                           "answered; this row is left out")));

    {
        XlsxFixture fixture(path);
        fixture.sheet("survey", {{"type", "name", "label"},
                                 {"osm buildings", "b", "Building"},
                                 {"xml-external", "places"},
                                 {"begin loop over yn", "l", "Loop"},
                                 {"text", "x", "X"},
                                 {"end loop"}});
        fixture.sheet("choices", {{"list_name", "name", "label"}, {"yn", "y", "Yes"}});
        REQUIRE(fixture.close());
    }
    r = XlsFormImporter::importFile(path);
    problems.clear();
    for (const XlsFormProblem &p : r.problems)
        problems << p.toString();
    INFO(problems.join(QLatin1Char('\n')).toStdString());
    CHECK(problems
          == QStringList {
              QStringLiteral("survey row 2, column type: question type 'osm buildings' is not supported by Kerbside: osm "
                             "questions tag OpenStreetMap features with the OpenMapKit app, which Kerbside has no "
                             "counterpart for (ask for the feature's details with text and select questions instead)"),
              QStringLiteral("survey row 3, column type: question type 'xml-external' is not supported by Kerbside: a "
                             "secondary instance read with instance('...') in expressions (use select_one_from_file "
                             "for a list from a file)"),
              QStringLiteral("survey row 4, column type: question type 'begin loop over yn' is not supported by "
                             "Kerbside: a loop over a choice list (write a group per choice, or a repeat)"),
              QStringLiteral("survey row 6, column type: question type 'end loop' is not supported by Kerbside: a "
                             "loop over a choice list (write a group per choice, or a repeat)"),
          });
}
