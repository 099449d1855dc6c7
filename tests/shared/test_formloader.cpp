// SPDX-License-Identifier: Apache-2.0
// FormLoader: the two real forms load clean; every validation rule reports the exact path,
// line and message; `kerbside form check` prints them and sets the exit code.
#include "form/formattachments.h"
#include "form/formloader.h"
#include "testpaths.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <string>
#include <vector>

using namespace kerbside;
using Lines = std::vector<std::string>;

namespace {

// A label in both languages of the test forms.
#define LBL R"("label": {"en": "L", "pl": "L"})"

// A two-language form. Lines 1-4 are fixed, so the i-th string of `questions` is line 5 + i;
// then "]," and the choices. Strings are joined with a comma unless one ends in '[' or ',' or
// the next starts with ']' or a space (an entry spread over several lines).
QByteArray formWith(const std::vector<const char *> &questions, const char *choices = "{}")
{
    QByteArray out = "{\n"
                     R"("format": "kerbside-form/1", "id": "t", "version": "1",)" "\n"
                     R"("title": {"en": "T", "pl": "T"}, "default_language": "en", "languages": ["en", "pl"],)" "\n"
                     R"("questions": [)" "\n";
    for (size_t i = 0; i < questions.size(); ++i) {
        const QByteArray line = questions[i];
        out += line;
        const bool last = i + 1 == questions.size();
        const bool open = line.endsWith('[') || line.endsWith(',');
        const bool next = !last && (questions[i + 1][0] == ']' || questions[i + 1][0] == ' ');
        out += last || open || next ? "\n" : ",\n";
    }
    out += "],\n\"choices\": ";
    out += choices;
    out += "\n}\n";
    return out;
}

Lines problemsOf(const FormLoadResult &result)
{
    Lines out;
    for (const FormProblem &p : result.problems)
        out.push_back(p.toString().toStdString());
    return out;
}

Lines problemsOf(const QByteArray &json)
{
    const FormLoadResult result = FormLoader::loadJson(json);
    CHECK(result.ok() == result.problems.isEmpty());
    return problemsOf(result);
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runKerbside(const QStringList &args)
{
    QProcess p;
    p.start(test::binaryPath(QStringLiteral("bin/kerbside")), args);
    REQUIRE(p.waitForFinished(30000));
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

TEST_CASE("the community contracts vox pop loads clean, in English and Polish", "[form]")
{
    const FormLoadResult r = FormLoader::loadFile(test::sourcePath("forms/community-contracts-voxpop.json"));
    CHECK(problemsOf(r) == Lines{});
    REQUIRE(r.ok());
    const Form &f = *r.form;
    CHECK(f.id == "community-contracts-voxpop");
    CHECK(f.version == "2026120201"); // 2026120201: age band and gender on a screening page after consent
    CHECK(f.languages == QStringList{"en", "pl"});
    CHECK(f.defaultLanguage == "en");
    CHECK(f.questions.first().name == "consent");
    CHECK(f.questions.first().type == QuestionType::Consent);
    // The quota questions come straight after consent, on one page, so a full cell is known
    // before the interview proper begins (issue 12).
    REQUIRE(f.questions.size() > 2);
    CHECK(f.questions[1].name == "age_band");
    CHECK(f.questions[2].name == "gender");
    CHECK(f.questions[1].group == f.questions[2].group);
    CHECK(f.groups[f.questions[1].group].name == "screening");
    CHECK(f.groups[f.questions[1].group].onePage);

    // Every label, hint and message exists in both languages, choices too.
    for (const Question &q : f.questions) {
        INFO(q.name.toStdString());
        if (q.type != QuestionType::Calculate) {
            CHECK(q.label.has("en"));
            CHECK(q.label.has("pl"));
        }
        for (const LocalizedText *t : {&q.hint, &q.constraintMessage, &q.requiredMessage})
            CHECK(t->isEmpty() == !t->has("pl"));
        const bool hasList = q.type == QuestionType::SelectOne
                             || q.type == QuestionType::SelectMultiple || q.type == QuestionType::Consent;
        CHECK((f.choicesFor(q) != nullptr) == hasList);
    }
    for (const ChoiceList &list : f.choiceLists) {
        for (const Choice &c : list.choices) {
            INFO(list.name.toStdString() << "/" << c.name.toStdString());
            CHECK(c.label.has("en"));
            CHECK(c.label.has("pl"));
        }
    }
    for (const Group &g : f.groups) {
        if (!g.label.isEmpty())
            CHECK(g.label.has("pl"));
    }

    // The built-in consent choices, in both languages.
    const ChoiceList *consent = f.choicesFor(f.questions.first());
    REQUIRE(consent != nullptr);
    CHECK(consent->name == "_consent");
    REQUIRE(consent->choices.size() == 2);
    CHECK(consent->choices[0].name == "yes");
    CHECK(consent->choices[0].label.text("pl") == "Tak");
    CHECK(consent->choices[1].label.text("en") == "No");

    // The services the contracts target are rated on one likert list with "don't know".
    for (const char *service : {"drugs", "bins", "graffiti", "streets"}) {
        const Question *rate = f.question(QStringLiteral("rate_%1").arg(service));
        const Question *change = f.question(QStringLiteral("change_%1").arg(service));
        REQUIRE(rate);
        REQUIRE(change);
        CHECK(rate->appearance == "likert");
        CHECK(rate->choiceList == "rating5");
        CHECK(change->choiceList == "change");
        CHECK(f.groups[rate->group].onePage);
        CHECK(f.groups[rate->group].name == service);
    }
    CHECK(f.choiceLists.value("rating5").choices.size() == 6);
    CHECK(f.choiceLists.value("rating5").indexOf("dk") == 5);

    // Involvement only when aware; nested group with its parent.
    const Question *involved = f.question("involved");
    REQUIRE(involved);
    const Group &details = f.groups[involved->group];
    CHECK(details.name == "aware_details");
    CHECK(details.relevant.text() == "${aware} = 'yes'");
    CHECK(f.groups[details.parent].name == "awareness");
    CHECK(involved->jsonPath == "$.questions[2].questions[1].questions[1]");
    CHECK(involved->constraint.usesCurrentValue());

    const Question *years = f.question("years_in_area");
    REQUIRE(years);
    CHECK(years->type == QuestionType::Integer);
    CHECK(years->constraint.isValid());
    CHECK_FALSE(years->constraintMessage.text("pl").isEmpty());
    const Question *comment = f.question("comment");
    REQUIRE(comment);
    CHECK(comment->sensitive);
    CHECK_FALSE(comment->requiredAlways);
    for (const char *quota : {"age_band", "gender", "tenure"})
        CHECK(f.question(quota)->requiredAlways);
}

TEST_CASE("the demo form uses every question type and feature", "[form]")
{
    const FormLoadResult r = FormLoader::loadFile(test::sourcePath("forms/demo-all-types.json"));
    CHECK(problemsOf(r) == Lines{});
    REQUIRE(r.ok());
    const Form &f = *r.form;
    CHECK(f.sourcePath == test::sourcePath("forms/demo-all-types.json"));
    QSet<QuestionType> types;
    for (const Question &q : f.questions)
        types.insert(q.type);
    CHECK(types.size() == 12);

    const Question *area = f.question("area");
    REQUIRE(area);
    CHECK(area->choiceFilter.text() == "region = ${region}");
    CHECK(f.choicesFor(*area)->choices[0].properties.value("region") == "south");
    CHECK(f.groups[area->group].onePage);
    CHECK(f.groups[area->group].jsonPath == "$.questions[6]");
    CHECK(area->jsonPath == "$.questions[6].questions[1]");

    CHECK(f.question("location")->accuracyThreshold == 10.0);
    CHECK(f.question("follow_up")->defaultLiteral == "no");
    CHECK(f.question("follow_up")->defaultValue.text() == "'no'");
    CHECK(f.question("visit_date")->defaultLiteral.isEmpty());
    CHECK(f.question("visit_date")->defaultValue.text() == "today()");
    CHECK(f.question("age_in_months")->readOnly);
    CHECK_FALSE(f.question("age_in_months")->calculation.isNull());
    CHECK(f.question("follow_up_at")->required.text() == "${follow_up} = 'yes'");
    CHECK_FALSE(f.question("follow_up_at")->requiredAlways);
    CHECK(f.question("age")->requiredAlways);
    CHECK(f.question("age")->constraintMessage.text("pl") == "Wiek musi wynosić od 16 do 110 lat.");
    CHECK(f.question("intro")->group == -1);
}

TEST_CASE("kerbside form check passes both real forms", "[form][cli]")
{
    const QString voxpop = test::sourcePath("forms/community-contracts-voxpop.json");
    const QString demo = test::sourcePath("forms/demo-all-types.json");
    const Run run = runKerbside({"form", "check", voxpop, demo});
    CHECK(run.err.toStdString() == "");
    CHECK(run.out.toStdString()
          == (voxpop + ": ok (22 questions, languages en, pl)\n" + demo
              + ": ok (16 questions, languages en, pl)\n")
                 .toStdString());
    CHECK(run.exitCode == 0);
}

TEST_CASE("kerbside form check lists every problem and exits 1", "[form][cli]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString bad = dir.filePath("bad.json");
    QFile f(bad);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(formWith({R"({"name": "age", "type": "integer", )" LBL R"(, "relevent": "1 = 1"})",
                      R"({"name": "b", "type": "text", )" LBL R"(, "relevant": "${agee} > 3"})"}));
    f.close();
    const QString demo = test::sourcePath("forms/demo-all-types.json");
    const Run run = runKerbside({"form", "check", bad, demo});
    CHECK(run.out.toStdString()
          == (bad + ":5: $.questions[0].relevent: unknown key 'relevent'; did you mean 'relevant'?\n"
              + bad + ":6: $.questions[1].relevant: refers to unknown field ${agee}; did you mean ${age}?\n"
              + demo + ": ok (16 questions, languages en, pl)\n")
                 .toStdString());
    CHECK(run.exitCode == 1);

    const Run txt = runKerbside({"form", "check", dir.filePath("form.txt")});
    CHECK(txt.out.toStdString() == (dir.filePath("form.txt") + ": unsupported file type '.txt'; expected a .json form\n").toStdString());
    CHECK(txt.exitCode == 1);

    const Run missing = runKerbside({"form", "check", dir.filePath("none.json")});
    CHECK(missing.out.toStdString() == (dir.filePath("none.json") + ": cannot read the file: No such file or directory\n").toStdString());
    CHECK(missing.exitCode == 1);
}

TEST_CASE("kerbside form usage errors exit 2", "[form][cli]")
{
    CHECK(runKerbside({"form"}).exitCode == 2);
    CHECK(runKerbside({"form", "check"}).exitCode == 2);
    CHECK(runKerbside({"form", "check", "--strict", "x.json"}).exitCode == 2);
    const Run unknown = runKerbside({"form", "chek"});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err.startsWith("kerbside form: unknown sub-command 'chek'\n"));
    CHECK(unknown.out.isEmpty());
}

TEST_CASE("malformed JSON is reported with its line and column", "[form]")
{
    const FormLoadResult r = FormLoader::loadJson("{\n  \"format\": \"kerbside-form/1\",\n  \"id\" \"x\"\n}\n", "f.json");
    CHECK(problemsOf(r) == Lines{"f.json:3: malformed JSON at column 8: missing name separator"});
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].line == 3);
    CHECK(r.problems[0].column == 8);
    CHECK_FALSE(r.ok());

    CHECK(problemsOf(QByteArray("[1, 2]")) == Lines{"1: a form must be a JSON object { ... }"});
}

TEST_CASE("the format version is checked", "[form]")
{
    QByteArray json = formWith({R"({"name": "a", "type": "text", )" LBL "}"});
    CHECK(problemsOf(json) == Lines{});

    QByteArray minor = json;
    minor.replace("kerbside-form/1", "kerbside-form/1.3");
    CHECK(problemsOf(minor) == Lines{});

    // Another major version: only that is reported, whatever else is in the file.
    QByteArray major = formWith({R"({"name": "a b", "type": "txt"})"});
    major.replace("kerbside-form/1", "kerbside-form/2");
    CHECK(problemsOf(major) == Lines{"2: $.format: format \"kerbside-form/2\" is not supported; "
                                     "this version of Kerbside reads \"kerbside-form/1\""});

    QByteArray unknown = json;
    unknown.replace("kerbside-form/1", "odk");
    CHECK(problemsOf(unknown) == Lines{"2: $.format: unknown format \"odk\"; expected \"kerbside-form/1\""});

    QByteArray missing = json;
    missing.replace(R"("format": "kerbside-form/1", )", "");
    CHECK(problemsOf(missing) == Lines{"1: $: missing 'format'; expected \"kerbside-form/1\""});
}

TEST_CASE("the header keys are required and checked", "[form]")
{
    const QByteArray json = "{\n"
                            R"("format": "kerbside-form/1",)" "\n"
                            R"("default_language": "de",)" "\n"
                            R"("languages": ["en", "pl"],)" "\n"
                            R"("questions": [{"name": "a", "type": "text", )" LBL "}]\n"
                            "}\n";
    CHECK(problemsOf(json) == Lines{
              "1: $: missing 'title'",
              "1: $: missing 'id'",
              "1: $: missing 'version'",
              "3: $.default_language: default_language 'de' is not one of languages (en, pl)",
          });

    const QByteArray noLanguages = "{\n"
                                   R"("format": "kerbside-form/1", "id": "9x", "version": "",)" "\n"
                                   R"("title": "T",)" "\n"
                                   R"("questions": [])" "\n"
                                   "}\n";
    CHECK(problemsOf(noLanguages) == Lines{
              "1: $: missing 'languages'",
              "1: $: missing 'default_language'",
              "2: $.id: invalid id '9x': an id starts with a letter and contains only letters, digits, '_', '-' and '.'",
              "2: $.version: 'version' must not be empty",
              "4: $.questions: 'questions' is empty",
          });
}

TEST_CASE("unknown types and names are reported with what is allowed", "[form]")
{
    CHECK(problemsOf(formWith({
              R"({"name": "a", "type": "selectone", )" LBL "}",
              R"({"name": "b", "type": "photo", )" LBL "}",
              R"({"name": "my age", "type": "integer", )" LBL "}",
              R"({"name": "1st", "type": "integer", )" LBL "}",
              R"({"type": "integer", )" LBL "}",
          }))
          == Lines{
              "5: $.questions[0].type: unknown type 'selectone' (did you mean 'select_one'?); types are note, text, "
              "integer, decimal, select_one, select_multiple, date, time, datetime, geopoint, geotrace, geoshape, rank, calculate, consent, group, repeat",
              "6: $.questions[1].type: unknown type 'photo'; types are note, text, integer, decimal, select_one, "
              "select_multiple, date, time, datetime, geopoint, geotrace, geoshape, rank, calculate, consent, group, repeat",
              "7: $.questions[2].name: invalid name 'my age': a name starts with a letter or '_' and contains only "
              "letters, digits, '_', '-' and '.'",
              "8: $.questions[3].name: invalid name '1st': a name starts with a letter or '_' and contains only "
              "letters, digits, '_', '-' and '.'",
              "9: $.questions[4]: missing 'name'",
          });
}

TEST_CASE("a duplicate name says where the first one is", "[form]")
{
    CHECK(problemsOf(formWith({
              R"({"name": "age", "type": "integer", )" LBL "}",
              R"({"type": "group", "name": "g", "questions": [)",
              R"(  {"name": "age", "type": "text", )" LBL "}",
              R"(]})",
              R"({"name": "g", "type": "note", )" LBL "}",
          }))
          == Lines{
              "7: $.questions[1].questions[0].name: duplicate name 'age'; first used at $.questions[0] (line 5)",
              "9: $.questions[2].name: duplicate name 'g'; first used at $.questions[1] (line 6)",
          });
}

TEST_CASE("references to unknown fields are reported in every expression", "[form]")
{
    CHECK(problemsOf(formWith({
              R"({"name": "age", "type": "integer", )" LBL R"(, "constraint": ". < ${maximum}"})",
              R"({"name": "b", "type": "text", )" LBL R"(, "relevant": "${agee} > 3", "required": "${zzz} = 1"})",
              R"({"type": "group", "name": "g", "relevant": "${nope} = 1", "questions": [)",
              R"(  {"name": "c", "type": "calculate", "calculation": "${g} + ${age}"}]},)",
              R"({"name": "d", "type": "date", )" LBL R"(, "default": "=${whenn}"})",
          }))
          == Lines{
              "5: $.questions[0].constraint: refers to unknown field ${maximum}",
              "6: $.questions[1].relevant: refers to unknown field ${agee}; did you mean ${age}?",
              "6: $.questions[1].required: refers to unknown field ${zzz}",
              "7: $.questions[2].relevant: refers to unknown field ${nope}",
              "8: $.questions[2].questions[0].calculation: refers to ${g}, which is a group; only questions have values",
              "9: $.questions[3].default: refers to unknown field ${whenn}",
          });
}

TEST_CASE("select questions need an existing choice list", "[form]")
{
    const char *choices = "{\n"
                          R"("agree5": [{"name": "1", )" LBL "}]\n"
                          "}";
    CHECK(problemsOf(formWith(
              {
                  R"({"name": "a", "type": "select_one", )" LBL "}",
                  R"({"name": "b", "type": "select_multiple", "choices": "agre5", )" LBL "}",
                  R"({"name": "c", "type": "select_one", "choices": "colours", )" LBL "}",
              },
              choices))
          == Lines{
              "5: $.questions[0]: select_one needs 'choices' naming a list from the top-level 'choices'",
              "6: $.questions[1].choices: unknown choice list 'agre5'; did you mean 'agree5'?",
              "7: $.questions[2].choices: unknown choice list 'colours'; the form defines agree5",
          });
    CHECK(problemsOf(formWith({R"({"name": "c", "type": "select_one", "choices": "colours", )" LBL "}"}))
          == Lines{"5: $.questions[0].choices: unknown choice list 'colours'; the form defines no choice lists"});
}

TEST_CASE("choice names are unique in their list and have no spaces", "[form]")
{
    const char *choices = "{\"yn\": [\n"
                          R"({"name": "yes", )" LBL "},\n"
                          R"({"name": "no", "label": {"en": "No"}},)" "\n"
                          R"({"name": "yes", )" LBL "},\n"
                          R"({"name": "dont know", )" LBL "},\n"
                          R"({"name": "x", )" LBL R"(, "area": {"a": 1}})" "\n"
                          "]}";
    CHECK(problemsOf(formWith({R"({"name": "a", "type": "select_multiple", "choices": "yn", )" LBL "}"},
                              choices))
          == Lines{
              "9: $.choices.yn[1].label: 'label' has no text in 'pl'",
              "10: $.choices.yn[2].name: duplicate choice name 'yes' in list 'yn'; first used at $.choices.yn[0] (line 8)",
              "11: $.choices.yn[3].name: choice name 'dont know' contains a space; select_multiple (a uses "
              "list 'yn') stores choices separated by spaces",
              "12: $.choices.yn[4].area: extra column 'area' must be a string, number or boolean, not an object",
          });
}

TEST_CASE("calculation cycles are reported as the cycle", "[form]")
{
    CHECK(problemsOf(formWith({
              R"({"name": "a", "type": "calculate", "calculation": "${b} + 1"})",
              R"({"name": "b", "type": "calculate", "calculation": "${c} * 2"})",
              R"({"name": "c", "type": "integer", "read_only": true, "calculation": "${a}", )" LBL "}",
              R"({"name": "d", "type": "calculate", "calculation": "${d} + ${a}"})",
              R"({"name": "e", "type": "calculate", "calculation": "${a} + ${b}"})",
          }))
          == Lines{
              "5: $.questions[0].calculation: calculation cycle: a -> b -> c -> a",
              "8: $.questions[3].calculation: calculation cycle: d -> d",
          });
}

TEST_CASE("expression syntax errors carry their column", "[form]")
{
    const FormLoadResult r = FormLoader::loadJson(formWith({
        R"({"name": "a", "type": "integer", )" LBL R"(, "relevant": "1 + (2"})",
        R"({"name": "b", "type": "date", )" LBL R"(, "default": "=today("})",
    }));
    REQUIRE(r.problems.size() == 2);
    // The expression engine words the reason and finds the column; the loader says where.
    const Expression relevant = Expression::parse("1 + (2");
    REQUIRE_FALSE(relevant.isValid());
    REQUIRE(relevant.errorColumn() > 0);
    CHECK(r.problems[0].path == "$.questions[0].relevant");
    CHECK(r.problems[0].line == 5);
    CHECK(r.problems[0].column == relevant.errorColumn());
    CHECK(r.problems[0].message.toStdString()
          == QString("syntax error at column %1: %2").arg(relevant.errorColumn()).arg(relevant.errorMessage()).toStdString());
    const Expression def = Expression::parse("today(");
    REQUIRE_FALSE(def.isValid());
    CHECK(r.problems[1].path == "$.questions[1].default");
    CHECK(r.problems[1].line == 6);
    CHECK(r.problems[1].column == def.errorColumn() + 1); // counts the '=' as written
    CHECK(r.problems[1].message.toStdString()
          == QString("syntax error at column %1: %2").arg(def.errorColumn() + 1).arg(def.errorMessage()).toStdString());
}

TEST_CASE("labels are needed in every declared language", "[form]")
{
    const QByteArray json = "{\n"
                            R"("format": "kerbside-form/1", "id": "t", "version": "1",)" "\n"
                            R"("title": "Plain title", "default_language": "en", "languages": ["en", "pl"],)" "\n"
                            R"("questions": [)" "\n"
                            R"({"name": "a", "type": "text", "label": {"en": "A"}},)" "\n"
                            R"({"name": "b", "type": "text", "label": {"en": "B", "pl": " "}},)" "\n"
                            R"({"name": "c", "type": "text", )" LBL R"(, "hint": {"pl": "tylko"}},)" "\n"
                            R"({"name": "d", "type": "text", "label": {"en": "D", "pl": "D", "de": "D"}},)" "\n"
                            R"({"name": "e", "type": "note"},)" "\n"
                            R"({"type": "group", "name": "g", "label": "G", "questions": [{"name": "f", "type": "text", )" LBL "}]}\n"
                            "],\n"
                            R"("choices": {"l": [{"name": "x", "label": {"pl": "X"}}]})" "\n"
                            "}\n";
    CHECK(problemsOf(json) == Lines{
              "3: $.title: 'title' has no text in 'pl'",
              "5: $.questions[0].label: 'label' has no text in 'pl'",
              "6: $.questions[1].label: 'label' has no text in 'pl'",
              "7: $.questions[2].hint: 'hint' has no text in the default language 'en'",
              "8: $.questions[3].label.de: 'label' has text in 'de', which is not in languages (en, pl)",
              "9: $.questions[4]: missing 'label'",
              "10: $.questions[5].label: 'label' has no text in 'pl'",
              "12: $.choices.l[0].label: 'label' has no text in 'en'",
          });
}

TEST_CASE("'.' is allowed only in constraint", "[form]")
{
    CHECK(problemsOf(formWith({
              R"({"name": "a", "type": "integer", )" LBL R"(, "constraint": ". > 0", "relevant": ". > 1"})",
              R"({"name": "b", "type": "calculate", "calculation": ". + 1"})",
              R"({"name": "c", "type": "integer", )" LBL R"(, "required": ". = 1", "default": "=. + 1"})",
          }))
          == Lines{
              "5: $.questions[0].relevant: '.' (the current answer) may only be used in 'constraint'",
              "6: $.questions[1].calculation: '.' (the current answer) may only be used in 'constraint'",
              "7: $.questions[2].required: '.' (the current answer) may only be used in 'constraint'",
              "7: $.questions[2].default: '.' (the current answer) may only be used in 'constraint'",
          });
}

TEST_CASE("unknown keys suggest the likely key", "[form]")
{
    QByteArray json = formWith({
        R"({"name": "a", "type": "text", )" LBL R"(, "relevent": "1 = 1", "colour": "red"})",
        R"({"name": "b", "type": "text", )" LBL R"(, "page": true})",
        R"({"type": "group", "name": "g", "hint": "h", "questions": [{"name": "c", "type": "text", )" LBL "}]}",
    });
    json.replace(R"("version": "1",)", R"("version": "1", "langauges": [],)");
    CHECK(problemsOf(json) == Lines{
              "2: $.langauges: unknown key 'langauges'; did you mean 'languages'?",
              "5: $.questions[0].colour: unknown key 'colour'",
              "5: $.questions[0].relevent: unknown key 'relevent'; did you mean 'relevant'?",
              "6: $.questions[1].page: 'page' applies to groups (\"type\": \"group\"), not questions",
              "7: $.questions[2].hint: 'hint' applies to questions, not groups",
          });
}

TEST_CASE("keys with the wrong JSON type are reported", "[form]")
{
    CHECK(problemsOf(formWith({
              R"({"name": 5, "type": "text", )" LBL R"(, "read_only": "yes"})",
              R"({"name": "b", "type": "integer", "label": 3, "required": 1, "default": 4})",
              R"({"name": "c", "type": "geopoint", )" LBL R"(, "accuracy": -1, "relevant": true})",
              R"({"name": "d", "type": "text", "label": {"en": "D", "pl": 7}, "sensitive": "no"})",
              R"("not a question")",
              R"({"type": "group", "name": "g", "page": "yes", "questions": {}})",
          }, "[]"))
          == Lines{
              "5: $.questions[0].name: 'name' must be a string, not a number",
              "5: $.questions[0].read_only: 'read_only' must be true or false, not a string",
              "6: $.questions[1].label: 'label' must be a string or an object of language -> text, not a number",
              "6: $.questions[1].required: 'required' must be true, false or an expression string, not a number",
              "6: $.questions[1].default: 'default' must be a string (a literal like \"3\" or an expression "
              "like \"=today()\"), not a number",
              "7: $.questions[2].relevant: 'relevant' must be an expression string, not a boolean",
              "7: $.questions[2].accuracy: 'accuracy' must be a number of metres, 0 or more",
              "8: $.questions[3].label.pl: 'label' text in 'pl' must be a string, not a number",
              "8: $.questions[3].label: 'label' has no text in 'pl'",
              "8: $.questions[3].sensitive: 'sensitive' must be true or false, not a string",
              "9: $.questions[4]: a question must be an object, not a string",
              "10: $.questions[5].page: 'page' must be true or false, not a string",
              "10: $.questions[5].questions: 'questions' must be an array, not an object",
              "12: $.choices: 'choices' must be an object of list name -> array of choices",
          });
}

TEST_CASE("keys that do not apply to the question type are reported", "[form]")
{
    CHECK(problemsOf(formWith({
              R"({"name": "a", "type": "text", )" LBL R"(, "accuracy": 5, "choices": "x", "choice_filter": "1"})",
              R"({"name": "b", "type": "note", )" LBL R"(, "required": true})",
              R"({"name": "c", "type": "text", )" LBL R"(, "calculation": "1"})",
              R"({"name": "d", "type": "calculate"})",
          }))
          == Lines{
              "5: $.questions[0].choices: 'choices' applies only to select_one, select_multiple, rank and consent, not to text",
              "5: $.questions[0].choice_filter: 'choice_filter' applies only to select_one, select_multiple and rank, not to text",
              "5: $.questions[0].accuracy: 'accuracy' applies only to geopoint, not to text",
              "6: $.questions[1].required: 'required' applies only to questions that take an answer, not to note",
              "7: $.questions[2].calculation: 'calculation' on a text question needs \"read_only\": true (or use "
              "a calculate question)",
              "8: $.questions[3]: missing 'calculation'",
          });
}

TEST_CASE("literal defaults must fit the question", "[form]")
{
    CHECK(problemsOf(formWith(
              {
                  R"({"name": "a", "type": "integer", )" LBL R"(, "default": "3.5"})",
                  R"({"name": "b", "type": "decimal", )" LBL R"(, "default": "lots"})",
                  R"({"name": "c", "type": "select_multiple", "choices": "yn", )" LBL R"(, "default": "yes maybe"})",
                  R"({"name": "d", "type": "text", )" LBL R"(, "default": "it's \"quoted\""})",
              },
              R"({"yn": [{"name": "yes", )" LBL R"(}, {"name": "no", )" LBL "}]}"))
          == Lines{
              "5: $.questions[0].default: default '3.5' is not an integer",
              "6: $.questions[1].default: default 'lots' is not a number",
              "7: $.questions[2].default: default 'maybe' is not a choice in list 'yn'",
          });
}

TEST_CASE("consent questions get yes/no in every language unless they name a list", "[form]")
{
    QByteArray json = formWith({R"({"name": "ok", "type": "consent", "label": {"en": "OK?", "cy": "Iawn?", "de": "OK?"}})"});
    json.replace(R"("languages": ["en", "pl"])", R"("languages": ["cy", "en", "de"])");
    json.replace(R"("title": {"en": "T", "pl": "T"})", R"("title": {"en": "T", "cy": "T", "de": "T"})");
    const FormLoadResult r = FormLoader::loadJson(json);
    CHECK(problemsOf(r) == Lines{});
    REQUIRE(r.ok());
    CHECK(r.form->languages == QStringList{"en", "cy", "de"}); // default first
    const ChoiceList *list = r.form->choicesFor(r.form->questions[0]);
    REQUIRE(list);
    CHECK(list->choices[0].label.text("cy") == "Ie");
    CHECK(list->choices[1].label.text("cy") == "Na");
    CHECK(list->choices[0].label.text("de") == "Yes"); // no translation: English
    CHECK(list->choices[0].label.texts.size() == 3);

    CHECK(problemsOf(formWith({R"({"name": "ok", "type": "consent", "choices": "agree", )" LBL "}"},
                              R"({"agree": [{"name": "yes", )" LBL "}]}"))
          == Lines{"5: $.questions[0].choices: a consent question's list must have choices named 'yes' "
                   "and 'no'; 'agree' has no 'no'"});
    CHECK(problemsOf(formWith({R"({"name": "ok", "type": "consent", )" LBL "}"},
                              R"({"_consent": [{"name": "yes", )" LBL "}]}"))
          == Lines{"7: $.choices._consent: list name '_consent' is reserved for the built-in consent choices"});
}

TEST_CASE("a repeated JSON key is a problem, not a silent overwrite", "[form]")
{
    CHECK(problemsOf(formWith({
              R"({"name": "a", "type": "text",)",
              R"( "label": {"en": "A", "pl": "A"},)",
              R"( "label": {"en": "B", "pl": "B"}})",
          }))
          // One entry over three lines: line 7 holds the second label.
          == Lines{"7: $.questions[0].label: duplicate key 'label' (first at line 6); JSON keeps only one of them"});
}

TEST_CASE("choice names with spaces: fine for select_one, refused in a select_multiple's list", "[form]")
{
    auto load = [](const char *type) {
        const QByteArray json = QByteArray(R"({"format": "kerbside-form/1", "id": "f", "version": "1",
            "title": "F", "default_language": "en", "languages": ["en"],
            "choices": {"places": [{"name": "new york", "label": "New York"}, {"name": "la", "label": "LA"}]},
            "questions": [{"name": "p", "type": ")") + type + R"(", "label": "Where?", "choices": "places"}]})";
        return FormLoader::loadJson(json);
    };
    CHECK(load("select_one").ok());
    const FormLoadResult r = load("select_multiple");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].path == QStringLiteral("$.choices.places[0].name"));
    CHECK(r.problems[0].message
          == QStringLiteral("choice name 'new york' contains a space; select_multiple (p uses list 'places') stores "
                            "choices separated by spaces"));
}

TEST_CASE("allow_choice_duplicates lets a list repeat a name (a cascade's 'king' county in two states)", "[form]")
{
    const QByteArray json = R"({"format": "kerbside-form/1", "id": "f", "version": "1", "title": "F",
        "default_language": "en", "languages": ["en"], "allow_choice_duplicates": true,
        "choices": {"c": [{"name": "king", "label": "King", "st": "wa"}, {"name": "king", "label": "King", "st": "tx"}]},
        "questions": [{"name": "county", "type": "select_one", "label": "County", "choices": "c"}]})";
    CHECK(FormLoader::loadJson(json).ok());
    QByteArray strict = json;
    strict.replace("\"allow_choice_duplicates\": true,", "");
    const FormLoadResult r = FormLoader::loadJson(strict);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].message.startsWith(QStringLiteral("duplicate choice name 'king' in list 'c'")));
}

TEST_CASE("a form with many problems reports all of them and gives no form", "[form]")
{
    const QString path = test::sourcePath("tests/data/forms/many-problems.json");
    const FormLoadResult r = FormLoader::loadFile(path);
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.form.has_value());
    Lines expected;
    for (const char *line : {
             ":3: $.id: invalid id 'bad form': an id starts with a letter and contains only letters, digits, '_', '-' and '.'",
             ":4: $.version: 'version' must be a string, not a number",
             ":5: $.title: 'title' has no text in 'pl'",
             ":11: $.choices.yesno[1].name: duplicate choice name 'yes' in list 'yesno'; first used at $.choices.yesno[0] (line 10)",
             // ":12" 'dont know' has a space, which is fine: no select_multiple uses the list
             ":16: $.questions[0].relevent: unknown key 'relevent'; did you mean 'relevant'?",
             ":17: $.questions[1].type: unknown type 'selectone' (did you mean 'select_one'?); types are note, text, integer, "
             "decimal, select_one, select_multiple, date, time, datetime, geopoint, geotrace, geoshape, rank, calculate, consent, group, repeat",
             ":17: $.questions[1].name: duplicate name 'age'; first used at $.questions[0] (line 16)",
             ":18: $.questions[2].calculation: calculation cycle: a -> b -> a",
             ":20: $.questions[4].relevant: refers to unknown field ${agee}; did you mean ${age}?",
             ":21: $.questions[5].relevant: '.' (the current answer) may only be used in 'constraint'",
             ":21: $.questions[5]: select_one needs 'choices' naming a list from the top-level 'choices'",
             ":22: $.questions[6].name: invalid name 'e f': a name starts with a letter or '_' and contains only letters, "
             "digits, '_', '-' and '.'",
             ":22: $.questions[6].choices: unknown choice list 'yesnoo'; did you mean 'yesno'?",
         })
        expected.push_back(path.toStdString() + line);
    CHECK(problemsOf(r) == expected);
}

TEST_CASE("loadObject reports paths without lines", "[form]")
{
    const QJsonObject root = QJsonDocument::fromJson(formWith({R"({"name": "a", "type": "txt", )" LBL "}"})).object();
    const FormLoadResult r = FormLoader::loadObject(root, "obj");
    CHECK(problemsOf(r) == Lines{"obj: $.questions[0].type: unknown type 'txt' (did you mean 'text'?); types are note, "
                                 "text, integer, decimal, select_one, select_multiple, date, time, datetime, geopoint, geotrace, geoshape, rank, "
                                 "calculate, consent, group, repeat"});
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].line == 0);

    const FormLoadResult ok = FormLoader::loadObject(
        QJsonDocument::fromJson(formWith({R"({"name": "a", "type": "text", )" LBL "}"})).object());
    REQUIRE(ok.ok());
    CHECK(ok.form->question("a")->jsonPath == "$.questions[0]");
}

TEST_CASE("a UTF-8 byte-order mark is accepted", "[form]")
{
    CHECK(problemsOf("\xEF\xBB\xBF" + formWith({R"({"name": "a", "type": "text", )" LBL "}"})) == Lines{});
}

TEST_CASE("missing_attachments: an empty list stands in for a file the XLSForm import did not find", "[form]")
{
    const char *question = R"({"name": "r", "type": "select_one", "choices": "regions_csv", )" LBL "}";
    const QByteArray json
        = formWith({question}, "{\"regions_csv\": []},\n\"missing_attachments\": {\"regions.csv\": \"regions_csv\"}");
    const FormLoadResult ok = FormLoader::loadJson(json);
    REQUIRE(ok.ok());
    CHECK(publishRefusal(json)
          == QStringLiteral("the form needs its attachment 'regions.csv', missing at import: import the workbook "
                            "again with `kerbside form import FORM.xlsx --attachment regions.csv`, then publish"));
    const QByteArray fullJson = formWith({question}, "{\"regions_csv\": [{\"name\": \"n\", " LBL "}]}");
    REQUIRE(FormLoader::loadJson(fullJson).ok());
    CHECK(publishRefusal(fullJson).isEmpty());

    // Only a list named there may be empty; what it names must be an empty list; a plain file name.
    const Lines bad = problemsOf(formWith(
        {question}, "{\"regions_csv\": [], \"other\": []},\n\"missing_attachments\": {\"r.csv\": \"regions_csv\", \"../up.csv\": \"other\", "
                    "\"a.csv\": \"nolist\", \"b.csv\": 3}"));
    REQUIRE(bad.size() == 4);
    auto has = [&bad](const char *text) {
        int n = 0;
        for (const std::string &line : bad)
            n += line.find(text) != std::string::npos ? 1 : 0;
        return n;
    };
    CHECK(has("'../up.csv' is not a plain file name") == 1);
    CHECK(has("the attachment 'a.csv' must name an empty list of 'choices'") == 1);
    CHECK(has("the attachment 'b.csv' must name an empty list of 'choices'") == 1);
    CHECK(has("choice list 'other' is empty") == 1);
    const Lines notObject = problemsOf(formWith({question}, "{\"regions_csv\": []},\n\"missing_attachments\": []"));
    CHECK(notObject.size() == 2); // and so the stand-in list is just empty
    CHECK(std::find(notObject.begin(), notObject.end(),
                    "8: $.missing_attachments: 'missing_attachments' must be an object of file name -> list name")
          != notObject.end());
}
