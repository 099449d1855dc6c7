// SPDX-License-Identifier: Apache-2.0
// `kerbside form import` and `kerbside form check` on .xlsx workbooks, run as real processes.
#include "xlsxfixture.h"

#include "testpaths.h"

#include "form/formloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace kerbside;
using kerbside::test::Rows;
using kerbside::test::XlsxFixture;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run kerbsideCli(const QStringList &args)
{
    QProcess p;
    p.start(kerbside::test::binaryPath(QStringLiteral("bin/kerbside")), args);
    REQUIRE(p.waitForFinished(30000));
    Run r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString writeWorkbook(const QTemporaryDir &dir, const QString &name, const Rows &survey,
                      const Rows &choices = {})
{
    const QString path = dir.filePath(name);
    XlsxFixture fixture(path);
    fixture.sheet("survey", survey);
    if (!choices.empty())
        fixture.sheet("choices", choices);
    fixture.sheet("settings", {{"form_id", "form_title", "version"}, {"cli_test", "CLI test", "2026112401"}});
    REQUIRE(fixture.close());
    return path;
}

const Rows kGoodSurvey {{"type", "name", "label", "relevant"},
                        {"select_one yn", "aware", "Aware?"},
                        {"text", "how", "How?", "${aware} = 'y'"}};
const Rows kChoices {{"list_name", "name", "label"}, {"yn", "y", "Yes"}, {"yn", "n", "No"}};
const Rows kBadSurvey {{"type", "name", "label", "relevant"},
                       {"select_one agree5", "aware", "Aware?"},
                       {"text", "how", "How?", "${awar} = 'y'"}};

} // namespace

TEST_CASE("xlsform cli: kerbside form import writes the form beside the workbook, or where -o says")
{
    QTemporaryDir dir;
    const QString xlsx = writeWorkbook(dir, QStringLiteral("survey.xlsx"), kGoodSurvey, kChoices);

    Run r = kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.code == 0);
    const QString json = dir.filePath(QStringLiteral("survey.json"));
    CHECK(r.out.trimmed()
          == QStringLiteral("%1: imported to %2 (2 questions, languages en)").arg(xlsx, json));
    FormLoadResult loaded = FormLoader::loadFile(json);
    REQUIRE(loaded.ok());
    CHECK(loaded.form->id == QStringLiteral("cli_test"));
    CHECK(loaded.form->version == QStringLiteral("2026112401"));

    const QString elsewhere = dir.filePath(QStringLiteral("out/form.json"));
    QDir(dir.path()).mkdir(QStringLiteral("out"));
    r = kerbsideCli(
        {QStringLiteral("form"), QStringLiteral("import"), xlsx, QStringLiteral("-o"), elsewhere});
    REQUIRE(r.code == 0);
    loaded = FormLoader::loadFile(elsewhere);
    CHECK(loaded.ok());

    // The form check reads the same workbook directly.
    r = kerbsideCli({QStringLiteral("form"), QStringLiteral("check"), xlsx});
    CHECK(r.code == 0);
    CHECK(r.out.trimmed() == QStringLiteral("%1: ok (2 questions, languages en)").arg(xlsx));
}

TEST_CASE("xlsform cli: kerbside form import with problems prints them all, exits 1 and writes nothing")
{
    QTemporaryDir dir;
    const QString xlsx = writeWorkbook(dir, QStringLiteral("bad.xlsx"), kBadSurvey, kChoices);
    const QString json = dir.filePath(QStringLiteral("bad.json"));

    Run r = kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx});
    CHECK(r.code == 1);
    const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
    CHECK(
        lines
        == QStringList {
            QStringLiteral("%1: survey row 2: select_one list 'agree5' is not in the choices sheet")
                .arg(xlsx),
            QStringLiteral(
                "%1: survey row 3, column relevant: refers to unknown field ${awar}; did you mean ${aware}?")
                .arg(xlsx),
        });
    CHECK(r.err.contains(QStringLiteral("not imported: 2 problem(s)")));
    CHECK_FALSE(QFileInfo::exists(json));

    // An earlier good import at the output path is left exactly as it was.
    QFile old(json);
    REQUIRE(old.open(QIODevice::WriteOnly));
    old.write("{\"previous\": true}\n");
    old.close();
    r = kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx, QStringLiteral("-o"), json});
    CHECK(r.code == 1);
    QFile again(json);
    REQUIRE(again.open(QIODevice::ReadOnly));
    CHECK(again.readAll() == QByteArray("{\"previous\": true}\n"));

    r = kerbsideCli({QStringLiteral("form"), QStringLiteral("check"), xlsx});
    CHECK(r.code == 1);
    CHECK(r.out.contains(
        QStringLiteral("%1: survey row 2: select_one list 'agree5' is not in the choices sheet").arg(xlsx)));
    CHECK(r.out.contains(
        QStringLiteral("%1: survey row 3, column relevant: refers to unknown field ${awar}").arg(xlsx)));
}

TEST_CASE("xlsform cli: kerbside form import refuses bad arguments and never writes over the workbook")
{
    QTemporaryDir dir;
    const QString xlsx = writeWorkbook(dir, QStringLiteral("s.xlsx"), kGoodSurvey, kChoices);
    const QByteArray before = [&] {
        QFile f(xlsx);
        REQUIRE(f.open(QIODevice::ReadOnly));
        return f.readAll();
    }();
    Run r = kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx, QStringLiteral("-o"), xlsx});
    CHECK(r.code == 2);
    QFile f(xlsx);
    REQUIRE(f.open(QIODevice::ReadOnly));
    CHECK(f.readAll() == before);

    CHECK(kerbsideCli({QStringLiteral("form"), QStringLiteral("import")}).code == 2);
    CHECK(kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx, QStringLiteral("-o")}).code
          == 2);
    CHECK(
        kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx, QStringLiteral("--bogus")}).code
        == 2);

    r = kerbsideCli(
        {QStringLiteral("form"), QStringLiteral("import"), dir.filePath(QStringLiteral("missing.xlsx"))});
    CHECK(r.code == 1);
    CHECK(r.out.contains(QStringLiteral("cannot open ")));
}

TEST_CASE("xlsform cli: kerbside form import prints what it read leniently as warnings and still imports")
{
    QTemporaryDir dir;
    const QString xlsx = writeWorkbook(dir, QStringLiteral("lenient.xlsx"),
                                       {{"type", "name", "label"}, {"note", nullptr, "Welcome"}, {"gps", "where", "Where?"}});
    const Run r = kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.code == 0);
    const QString json = dir.filePath(QStringLiteral("lenient.json"));
    CHECK(r.out.trimmed().split(QLatin1Char('\n'))
          == QStringList {
              QStringLiteral("%1: warning: survey row 2, column name: the note has no name; it is named "
                             "'generated_note_name_2', as pyxform does")
                  .arg(xlsx),
              QStringLiteral("%1: imported to %2 (2 questions, languages en)").arg(xlsx, json),
          });
    const FormLoadResult loaded = FormLoader::loadFile(json);
    REQUIRE(loaded.ok());
    CHECK(loaded.form->question(QStringLiteral("where"))->type == QuestionType::Geopoint);
}

TEST_CASE("xlsform cli: kerbside form import --attachment reads a select_one_from_file CSV from anywhere")
{
    QTemporaryDir dir;
    QDir(dir.path()).mkdir(QStringLiteral("lists"));
    const QString csv = dir.filePath(QStringLiteral("lists/streets.csv"));
    {
        QFile f(csv);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write("name,label\nhigh_st,High Street\nmill_ln,Mill Lane\n");
    }
    const QString xlsx = writeWorkbook(dir, QStringLiteral("streets.xlsx"),
                                       {{"type", "name", "label"}, {"select_one_from_file streets.csv", "street", "Street"}});
    // Not beside the workbook (lists/ is not looked in): as ODK Central takes a form whose
    // attachment is still to come, the form is written, and naming the missing file, it can be
    // checked but not published until it is imported again with the file.
    Run r = kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx});
    INFO(r.out.toStdString() << r.err.toStdString());
    CHECK(r.code == 0);
    CHECK(r.out.contains(QStringLiteral("%1: warning: survey row 2, column type: the attachment 'streets.csv' was "
                                        "not found: give it with --attachment streets.csv or put it in ")
                             .arg(xlsx)));
    CHECK(r.out.contains(QStringLiteral("the form is imported without its choices and cannot be published until "
                                        "it is imported again with the file")));
    const QString json = dir.filePath(QStringLiteral("streets.json"));
    REQUIRE(QFileInfo::exists(json));
    const QString refusal = QStringLiteral("the form needs its attachment 'streets.csv', missing at import: import "
                                           "the workbook again with `kerbside form import FORM.xlsx --attachment "
                                           "streets.csv`, then publish");
    CHECK(r.out.contains(QStringLiteral("%1: not publishable yet: %2").arg(json, refusal)));
    r = kerbsideCli({QStringLiteral("form"), QStringLiteral("check"), json});
    CHECK(r.code == 1);
    CHECK(r.out.trimmed() == QStringLiteral("%1: $.missing_attachments: %2").arg(json, refusal));
    const QString db = dir.filePath(QStringLiteral("collector.db"));
    REQUIRE(kerbsideCli({QStringLiteral("casestudy"), QStringLiteral("add"), QStringLiteral("leeds"),
                         QStringLiteral("--name"), QStringLiteral("Leeds"), QStringLiteral("--db"), db})
                .code
            == 0);
    r = kerbsideCli({QStringLiteral("publish"), json, QStringLiteral("--case-study"), QStringLiteral("leeds"),
                     QStringLiteral("--db"), db});
    CHECK(r.code == 1);
    CHECK(r.err.trimmed() == QStringLiteral("kerbside publish: %1: %2; nothing published").arg(json, refusal));

    r = kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx, QStringLiteral("--attachment"), csv});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.code == 0);
    const FormLoadResult loaded = FormLoader::loadFile(dir.filePath(QStringLiteral("streets.json")));
    REQUIRE(loaded.ok());
    const ChoiceList *list = loaded.form->choicesFor(*loaded.form->question(QStringLiteral("street")));
    REQUIRE(list);
    CHECK(list->choices.size() == 2);
    CHECK(list->choices[1].label.text(QStringLiteral("en")) == QStringLiteral("Mill Lane"));
    r = kerbsideCli({QStringLiteral("publish"), json, QStringLiteral("--case-study"), QStringLiteral("leeds"),
                     QStringLiteral("--db"), db});
    CHECK(r.code == 0);
    CHECK(r.out.trimmed() == QStringLiteral("published cli_test version 2026112401 to leeds"));

    r = kerbsideCli({QStringLiteral("form"), QStringLiteral("import"), xlsx, QStringLiteral("--attachment"),
                     dir.filePath(QStringLiteral("nope.csv"))});
    CHECK(r.code == 2);
    CHECK(r.err.contains(QStringLiteral("the attachment %1 is not a file").arg(dir.filePath(QStringLiteral("nope.csv")))));
}
