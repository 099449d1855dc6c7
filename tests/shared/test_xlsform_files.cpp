// SPDX-License-Identifier: Apache-2.0
// select_one_from_file / select_multiple_from_file: the attachment (CSV or ODK item XML) found
// beside the workbook, in its NAME-media folder or given by path; read as hostile input (every
// refusal names the file and row); its rows become a list of the form, so they travel with it.
#include "xlsxfixture.h"

#include "form/formattachments.h"
#include "form/formloader.h"
#include "interview/interview.h"
#include "xlsform/choicefile.h"
#include "xlsform/xlsformimporter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace kerbside;
using kerbside::test::Rows;
using kerbside::test::XlsxFixture;

namespace {

QStringList lines(const QList<XlsFormProblem> &problems)
{
    QStringList out;
    for (const XlsFormProblem &p : problems)
        out << p.toString();
    return out;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    REQUIRE(f.write(bytes) == bytes.size());
}

QString writeWorkbook(const QString &path, const Rows &survey, const Rows &settings = {})
{
    XlsxFixture fixture(path);
    fixture.sheet("survey", survey);
    fixture.sheet("choices", {{"list_name", "name", "label"}, {"yn", "y", "Yes"}, {"yn", "n", "No"}});
    if (!settings.empty())
        fixture.sheet("settings", settings);
    REQUIRE(fixture.close());
    return path;
}

const Rows kSurvey {{"type", "name", "label", "choice_filter"},
                    {"select_one_from_file districts.csv", "district", "District"},
                    {"select_one_from_file villages.csv", "village", "Village", "district = ${district}"}};

const QByteArray kDistricts = "name,label\nd1,North\nd2,\"South, by the river\"\n";
const QByteArray kVillages = "\xef\xbb\xbfname,label,district\r\nv1,Upper,d1\r\nv2,\"Lower \"\"old\"\"\",d1\r\nv3,Riverside,d2\r\n";

QJsonArray list(const QJsonObject &form, const char *name)
{
    return form.value(QStringLiteral("choices")).toObject().value(QLatin1String(name)).toArray();
}

} // namespace

TEST_CASE("choice file: CSV quoting, CRLF, BOM, short rows, blank lines; ODK item XML")
{
    ChoiceFile f;
    REQUIRE(f.readCsv("\xef\xbb\xbfname,label,extra\r\na,\"x, \"\"y\"\"\nz\"\r\n\r\nb,B\n"));
    CHECK(f.headers() == (QStringList {QStringLiteral("name"), QStringLiteral("label"), QStringLiteral("extra")}));
    REQUIRE(f.rows().size() == 2);
    CHECK(f.rows()[0].cells[1] == QStringLiteral("x, \"y\"\nz"));
    CHECK(f.rows()[1].row == 4); // the blank line is record 3
    CHECK(f.rows()[1].cells == (QStringList {QStringLiteral("b"), QStringLiteral("B"), QString()}));

    REQUIRE(f.readXml("<root><item><name>a</name><label>A</label></item>\n<item><label>B</label><zone>n</zone>"
                      "<name>b</name></item></root>"));
    CHECK(f.headers() == (QStringList {QStringLiteral("name"), QStringLiteral("label"), QStringLiteral("zone")}));
    CHECK(f.rows()[1].cells == (QStringList {QStringLiteral("b"), QStringLiteral("B"), QStringLiteral("n")}));

    struct Bad
    {
        QByteArray bytes;
        bool xml;
        int row;
        const char *message;
    };
    const Bad bad[] = {
        {"name,label\na,\"open\n", false, 2, "a quoted field is not closed"},
        {"name,label\na,b,c\n", false, 2, "3 fields, but the header has 2"},
        {"name,,label\n", false, 1, "column 2 has no heading"},
        {"name,name\n", false, 1, "the heading 'name' is there twice"},
        {"name,label\na,\"b\"c\n", false, 2, "text after a closing quote (a quote inside a field is written \"\")"},
        {"name,label\n\xff\xfe,x\n", false, 0, "not UTF-8 text (save the CSV as UTF-8)"},
        {"", false, 0, "empty: no header row"},
        {"<!DOCTYPE r [<!ENTITY x \"xx\">]><r><item><name>&x;</name></item></r>", true, 0,
         "has a DTD (<!DOCTYPE ...>), which Kerbside does not read"},
        {"<r><item><name><b>deep</b></name></item></r>", true, 2,
         "<b> is nested too deep: an item's columns hold text only"},
        {"<r><item><name>a</name><name>b</name></item></r>", true, 2, "the item has <name> twice"},
    };
    for (const Bad &b : bad) {
        INFO(b.bytes.toStdString());
        ChoiceFile g;
        const bool read = b.xml ? g.readXml(b.bytes) : g.readCsv(b.bytes);
        CHECK_FALSE(read);
        CHECK(g.error() == QLatin1String(b.message));
        CHECK(g.errorRow() == b.row);
        CHECK(g.rows().isEmpty());
    }
    ChoiceFile wide;
    QByteArray header = "name";
    for (int i = 0; i < ChoiceFile::kMaxColumns; ++i)
        header += ",c" + QByteArray::number(i);
    CHECK_FALSE(wide.readCsv(header + "\n"));
    CHECK(wide.error() == QStringLiteral("more than 256 columns"));
}

TEST_CASE("xlsform select_one_from_file: the CSV beside the workbook becomes a list of the form")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    writeFile(dir.filePath(QStringLiteral("districts.csv")), kDistricts);
    QDir(dir.path()).mkdir(QStringLiteral("survey-media")); // ODK Collect's place for form media
    writeFile(dir.filePath(QStringLiteral("survey-media/villages.csv")), kVillages);
    const QString xlsx = writeWorkbook(dir.filePath(QStringLiteral("survey.xlsx")), kSurvey);

    const XlsFormImportResult r = XlsFormImporter::importFile(xlsx);
    INFO(lines(r.problems).join(QLatin1Char('\n')).toStdString());
    REQUIRE(r.ok());
    const QJsonArray districts = list(r.form, "districts_csv");
    REQUIRE(districts.size() == 2);
    CHECK(districts[1].toObject().value(QStringLiteral("label")).toObject().value(QStringLiteral("en"))
          == QStringLiteral("South, by the river"));
    const QJsonArray villages = list(r.form, "villages_csv");
    REQUIRE(villages.size() == 3);
    CHECK(villages[1].toObject().value(QStringLiteral("label")).toObject().value(QStringLiteral("en"))
          == QStringLiteral("Lower \"old\""));
    CHECK(villages[2].toObject().value(QStringLiteral("district")) == QStringLiteral("d2"));

    // The form loads by itself (the choices are in it) and the cascade filters on the CSV column.
    const FormLoadResult loaded = FormLoader::loadObject(r.form);
    REQUIRE(loaded.ok());
    const Question *village = loaded.form->question(QStringLiteral("village"));
    REQUIRE(village);
    CHECK(village->type == QuestionType::SelectOne);
    CHECK(village->choiceList == QStringLiteral("villages_csv"));
    Interview interview(*loaded.form);
    interview.setAnswer(QStringLiteral("district"), QStringLiteral("d2"));
    QStringList shown;
    const ChoiceList *choices = loaded.form->choicesFor(*village);
    REQUIRE(choices);
    for (int i : interview.visibleChoices(QStringLiteral("village")))
        shown << choices->choices[i].name;
    CHECK(shown == QStringList {QStringLiteral("v3")});
}

TEST_CASE("xlsform select_multiple_from_file: XML given with --attachment, parameters name the columns")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    QDir(dir.path()).mkdir(QStringLiteral("elsewhere"));
    const QString xml = dir.filePath(QStringLiteral("elsewhere/services.xml"));
    writeFile(xml, "<root><item><code>bins</code><title>Bins</title><title_pl>Kosze</title_pl></item>"
                   "<item><code>lights</code><title>Street lights</title></item></root>");
    const QString xlsx = writeWorkbook(dir.filePath(QStringLiteral("form.xlsx")),
                                       {{"type", "name", "label", "parameters"},
                                        {"select multiple from file services.xml", "services", "Services",
                                         "value=code label=title randomize=true"}});
    // Not found: imported, as ODK Central takes a form whose attachment is still to be uploaded;
    // an empty list stands in and missing_attachments names the file, so it is never published.
    XlsFormImportResult r = XlsFormImporter::importFile(xlsx);
    INFO(lines(r.problems).join(QLatin1Char('\n')).toStdString());
    REQUIRE(r.ok());
    CHECK(lines(r.warnings).contains(
        QStringLiteral("survey row 2, column type: the attachment 'services.xml' was not found: give it with "
                       "--attachment services.xml or put it in %1 or %1/form-media; the form is imported without "
                       "its choices and cannot be published until it is imported again with the file")
            .arg(QDir::toNativeSeparators(dir.path()))));
    CHECK(r.form.value(QStringLiteral("missing_attachments")).toObject()
          == QJsonObject {{QStringLiteral("services.xml"), QStringLiteral("services_xml")}});
    CHECK(list(r.form, "services_xml").isEmpty());
    {
        const FormLoadResult missing = FormLoader::loadObject(r.form);
        REQUIRE(missing.ok());
        CHECK(missingAttachments(r.form) == QStringList {QStringLiteral("services.xml")});
        CHECK(publishRefusal(r.form)
              == QStringLiteral("the form needs its attachment 'services.xml', missing at import: import the "
                                "workbook again with `kerbside form import FORM.xlsx --attachment services.xml`, "
                                "then publish"));
    }

    r = XlsFormImporter::importFile(xlsx, {xml});
    INFO(lines(r.problems).join(QLatin1Char('\n')).toStdString());
    REQUIRE(r.ok());
    CHECK(lines(r.warnings).contains(
        QStringLiteral("survey row 2, column parameters: parameter 'randomize' is not used by Kerbside")));
    const QJsonArray services = list(r.form, "services_xml");
    REQUIRE(services.size() == 2);
    CHECK(services[0].toObject().value(QStringLiteral("name")) == QStringLiteral("bins"));
    CHECK(services[0].toObject().value(QStringLiteral("title_pl")) == QStringLiteral("Kosze"));
    CHECK(services[1].toObject().value(QStringLiteral("label")).toObject().value(QStringLiteral("en"))
          == QStringLiteral("Street lights"));
    const FormLoadResult loaded = FormLoader::loadObject(r.form);
    REQUIRE(loaded.ok());
    CHECK(loaded.form->question(QStringLiteral("services"))->type == QuestionType::SelectMultiple);
    CHECK_FALSE(r.form.contains(QStringLiteral("missing_attachments")));
    CHECK(publishRefusal(r.form).isEmpty());

    // An attachment no row uses is worth a warning (a typo in a type cell?).
    const QString spare = dir.filePath(QStringLiteral("spare.csv"));
    writeFile(spare, kDistricts);
    r = XlsFormImporter::importFile(xlsx, {xml, spare});
    CHECK(lines(r.warnings).contains(
        QStringLiteral("the attachment spare.csv is not used by any select_one_from_file or "
                       "select_multiple_from_file row")));
}

TEST_CASE("xlsform select_one_from_file: hostile attachments are refused naming file, row and column")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const Rows survey {{"type", "name", "label"}, {"select_one_from_file a.csv", "a", "A"},
                       {"select_multiple_from_file b.csv", "b", "B"}, {"select_one_from_file c.csv", "c", "C"},
                       {"select_one_from_file ../d.csv", "d", "D"}, {"select_one_from_file big.csv", "e", "E"},
                       {"select_one_from_file a.csv", "a2", "A again"}};
    writeFile(dir.filePath(QStringLiteral("a.csv")), "name,label\nx,X\ny,Y\nx,X again\n,No name\n");
    writeFile(dir.filePath(QStringLiteral("b.csv")), "name,label\nnew york,New York\n");
    writeFile(dir.filePath(QStringLiteral("c.csv")), "value,text\n1,One\n");
    {
        QFile big(dir.filePath(QStringLiteral("big.csv")));
        REQUIRE(big.open(QIODevice::WriteOnly));
        REQUIRE(big.resize(ChoiceFile::kMaxBytes + 10)); // sparse: no 16 MiB written
    }
    const QString xlsx = writeWorkbook(dir.filePath(QStringLiteral("bad.xlsx")), survey);
    const XlsFormImportResult r = XlsFormImporter::importFile(xlsx);
    const QStringList m = lines(r.problems);
    INFO(m.join(QLatin1Char('\n')).toStdString());
    CHECK(r.form.isEmpty());
    CHECK(m.contains(QStringLiteral("a.csv row 4, column name: duplicate choice name 'x' (first on row 2); the "
                                    "names must be unique unless the settings say allow_choice_duplicates")));
    CHECK(m.contains(QStringLiteral("a.csv row 5, column name: a choice has no name")));
    CHECK(m.contains(QStringLiteral("survey row 2, column type: the attachment 'a.csv' has problems")));
    CHECK(m.filter(QStringLiteral("a.csv row 4")).size() == 1); // reported once, though two rows use it
    // A space in a select_multiple's choice name: the core's problem, placed in the CSV.
    CHECK(m.filter(QRegularExpression(QStringLiteral("^b\\.csv row 2, column name: .*space"))).size() == 1);
    CHECK(m.contains(QStringLiteral("c.csv row 1: has no 'name' column (its columns are value, text)")));
    CHECK(m.contains(QStringLiteral("c.csv row 1: has no 'label' column (its columns are value, text)")));
    CHECK(m.contains(QStringLiteral("survey row 5, column type: '../d.csv' is not a plain file name")));
    CHECK(m.contains(QStringLiteral("survey row 6, column type: the attachment big.csv is larger than 16 MiB")));

    // Alone (a dashboard upload), the workbook cannot bring its attachment.
    const XlsFormImportResult alone = XlsFormImporter::importFile(xlsx, {}, XlsFormImporter::Search::None);
    CHECK(lines(alone.problems)
              .contains(QStringLiteral("survey row 2, column type: select_one_from_file needs the attachment "
                                       "'a.csv', and this import takes no attachments (import with `kerbside "
                                       "form import FORM.xlsx --attachment a.csv`)")));
}
