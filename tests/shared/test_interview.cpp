// SPDX-License-Identifier: Apache-2.0
// Interview logic: relevance, calculations in dependency order, validation, navigation,
// refusal and finalisation, on small inline forms.
#include "form/formloader.h"
#include "interview/interview.h"

#include <catch2/catch.hpp>

using namespace kerbside;

namespace {

Form loadInline(const char *json)
{
    FormLoadResult r = FormLoader::loadJson(QByteArray(json), QStringLiteral("inline"));
    if (!r.ok()) {
        for (const FormProblem &p : r.problems)
            UNSCOPED_INFO(p.toString().toStdString());
    }
    REQUIRE(r.ok());
    return *r.form;
}

// consent, age (16..110), aware (yes/no) -> group "more" (page) with how + detail,
// a calculation chain defined out of order (band reads is_older, which is defined later).
const char *kForm = R"json({
  "format": "kerbside-form/1", "id": "t", "version": "1", "title": "T",
  "default_language": "en", "languages": ["en"],
  "choices": {
    "yesno": [{"name": "yes", "label": "Yes"}, {"name": "no", "label": "No"}],
    "area": [{"name": "n1", "label": "North 1", "zone": "north"},
             {"name": "n2", "label": "North 2", "zone": "north"},
             {"name": "s1", "label": "South 1", "zone": "south"}],
    "services": [{"name": "bins", "label": "Bins"}, {"name": "graffiti", "label": "Graffiti"}]
  },
  "questions": [
    {"name": "consent", "type": "consent", "required": true, "label": "May I ask?"},
    {"name": "age", "type": "integer", "required": true, "label": "Age",
     "constraint": ". >= 16 and . <= 110", "constraint_message": "Age must be 16 to 110"},
    {"name": "band", "type": "calculate", "calculation": "if(${is_older} = 'yes', 'older', 'younger')"},
    {"name": "aware", "type": "select_one", "choices": "yesno", "label": "Aware?"},
    {"type": "group", "name": "more", "page": true, "relevant": "${aware} = 'yes'", "label": "More",
     "questions": [
       {"name": "how", "type": "text", "required": true, "label": "How?"},
       {"name": "detail", "type": "text", "label": "Detail", "relevant": "${how} != ''"}
     ]},
    {"name": "zone", "type": "text", "label": "Zone", "default": "north"},
    {"name": "area", "type": "select_one", "choices": "area", "label": "Area",
     "choice_filter": "zone = ${zone}"},
    {"name": "services", "type": "select_multiple", "choices": "services", "label": "Services",
     "required": "${age} >= 65"},
    {"name": "is_older", "type": "calculate", "calculation": "if(${age} >= 65, 'yes', 'no')"},
    {"name": "bye", "type": "note", "label": "Thank you"}
  ]
})json";

QStringList pageNames(const Interview &iv, int page)
{
    QStringList names;
    for (int q : iv.page(page).questions)
        names << iv.form().questions[q].name;
    return names;
}

} // namespace

TEST_CASE("pages: one per question, one-page groups together, calculations have none")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    REQUIRE(iv.pageCount() == 8);
    CHECK(pageNames(iv, 0) == QStringList{"consent"});
    CHECK(pageNames(iv, 3) == (QStringList{"how", "detail"}));
    CHECK(iv.pageOf(QStringLiteral("band")) == -1);
    CHECK(iv.pageOf(QStringLiteral("detail")) == 3);
}

TEST_CASE("relevance follows answers; a group's relevance applies to its questions")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    CHECK_FALSE(iv.isRelevant(QStringLiteral("how")));
    CHECK_FALSE(iv.isRelevant(QStringLiteral("detail")));
    const QStringList changed = iv.setAnswer(QStringLiteral("aware"), QStringLiteral("yes"));
    CHECK(changed.first() == QStringLiteral("aware"));
    CHECK(changed.contains(QStringLiteral("how")));
    CHECK(iv.isRelevant(QStringLiteral("how")));
    CHECK_FALSE(iv.isRelevant(QStringLiteral("detail"))); // its own relevant: how is empty
    iv.setAnswer(QStringLiteral("how"), QStringLiteral("leaflet"));
    CHECK(iv.isRelevant(QStringLiteral("detail")));
    iv.setAnswer(QStringLiteral("aware"), QStringLiteral("no"));
    CHECK_FALSE(iv.isRelevant(QStringLiteral("how")));
    CHECK_FALSE(iv.isRelevant(QStringLiteral("detail"))); // how is irrelevant, so seen as empty
    CHECK(iv.answer(QStringLiteral("how")) == QStringLiteral("leaflet")); // kept while open
}

TEST_CASE("calculations run in dependency order, not form order")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    iv.setAnswer(QStringLiteral("age"), QStringLiteral("70"));
    CHECK(iv.answer(QStringLiteral("is_older")) == QStringLiteral("yes"));
    CHECK(iv.answer(QStringLiteral("band")) == QStringLiteral("older"));
    const QStringList changed = iv.setAnswer(QStringLiteral("age"), QStringLiteral("30"));
    CHECK(iv.answer(QStringLiteral("band")) == QStringLiteral("younger"));
    CHECK(changed.contains(QStringLiteral("band")));
    CHECK(changed.contains(QStringLiteral("is_older")));
}

TEST_CASE("validation: required, type, constraint with the form's message, required expression")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    AnswerCheck c = iv.check(QStringLiteral("age"));
    CHECK(c.kind == AnswerCheck::Kind::Required);
    CHECK(c.message == QStringLiteral("This question needs an answer."));
    c = iv.checkValue(QStringLiteral("age"), QStringLiteral("abc"));
    CHECK(c.kind == AnswerCheck::Kind::Type);
    CHECK(c.message == QStringLiteral("Please enter a whole number."));
    c = iv.checkValue(QStringLiteral("age"), QStringLiteral("12"));
    CHECK(c.kind == AnswerCheck::Kind::Constraint);
    CHECK(c.message == QStringLiteral("Age must be 16 to 110"));
    CHECK(iv.checkValue(QStringLiteral("age"), QStringLiteral("16")).ok());
    CHECK(iv.checkValue(QStringLiteral("age"), QStringLiteral("110")).ok());
    CHECK_FALSE(iv.checkValue(QStringLiteral("age"), QStringLiteral("111")).ok());

    CHECK(iv.check(QStringLiteral("services")).ok()); // required only from 65
    iv.setAnswer(QStringLiteral("age"), QStringLiteral("80"));
    CHECK(iv.check(QStringLiteral("services")).kind == AnswerCheck::Kind::Required);
    CHECK(iv.checkValue(QStringLiteral("services"), QStringLiteral("bins graffiti")).ok());
    CHECK(iv.checkValue(QStringLiteral("services"), QStringLiteral("bins bins")).kind == AnswerCheck::Kind::Type);
    CHECK(iv.checkValue(QStringLiteral("services"), QStringLiteral("potholes")).kind == AnswerCheck::Kind::Type);
    CHECK(iv.checkValue(QStringLiteral("aware"), QStringLiteral("maybe")).kind == AnswerCheck::Kind::Type);
}

TEST_CASE("navigation skips irrelevant pages both ways")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    CHECK(iv.firstPage() == 0);
    iv.setAnswer(QStringLiteral("consent"), QStringLiteral("yes"));
    CHECK(iv.nextPage(0) == 1);
    CHECK(iv.nextPage(2) == 4); // aware unanswered: the "more" page is skipped
    CHECK(iv.previousPage(4) == 2);
    iv.setAnswer(QStringLiteral("aware"), QStringLiteral("yes"));
    CHECK(iv.nextPage(2) == 3);
    CHECK(iv.previousPage(4) == 3);
    CHECK(iv.nextPage(7) == -1);
    CHECK(iv.previousPage(0) == -1);
}

TEST_CASE("choice_filter reads the choice's columns; defaults apply once")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    CHECK(iv.answer(QStringLiteral("zone")).isEmpty());
    iv.applyDefaults();
    CHECK(iv.answer(QStringLiteral("zone")) == QStringLiteral("north"));
    CHECK(iv.visibleChoices(QStringLiteral("area")) == (QList<int>{0, 1}));
    iv.setAnswer(QStringLiteral("zone"), QStringLiteral("south"));
    CHECK(iv.visibleChoices(QStringLiteral("area")) == QList<int>{2});
    iv.setAnswer(QStringLiteral("zone"), QStringLiteral("west"));
    CHECK(iv.visibleChoices(QStringLiteral("area")).isEmpty());
}

TEST_CASE("'no' at consent ends the interview as a refusal keeping only consent")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    iv.setAnswer(QStringLiteral("age"), QStringLiteral("44")); // typed before going back
    iv.setAnswer(QStringLiteral("consent"), QStringLiteral("no"));
    CHECK(iv.isRefusal());
    CHECK(iv.nextPage(0) == -1);
    CHECK(iv.canFinalise());
    const QMap<QString, QString> kept = iv.finalAnswers();
    CHECK(kept.size() == 1);
    CHECK(kept.value(QStringLiteral("consent")) == QStringLiteral("no"));
}

TEST_CASE("finalising lists every blocking problem and keeps only relevant answers")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    iv.setAnswer(QStringLiteral("consent"), QStringLiteral("yes"));
    iv.setAnswer(QStringLiteral("aware"), QStringLiteral("yes"));
    QList<FinaliseIssue> issues = iv.finaliseIssues();
    REQUIRE(issues.size() == 2);
    CHECK(issues[0].question == QStringLiteral("age"));
    CHECK(issues[0].page == 1);
    CHECK(issues[1].question == QStringLiteral("how"));
    CHECK_FALSE(iv.canFinalise());

    iv.setAnswer(QStringLiteral("age"), QStringLiteral("40"));
    iv.setAnswer(QStringLiteral("how"), QStringLiteral("leaflet"));
    iv.setAnswer(QStringLiteral("aware"), QStringLiteral("no")); // how becomes irrelevant
    CHECK(iv.canFinalise());
    const QMap<QString, QString> kept = iv.finalAnswers();
    CHECK_FALSE(kept.contains(QStringLiteral("how")));
    CHECK(kept.value(QStringLiteral("band")) == QStringLiteral("younger"));
    CHECK(kept.value(QStringLiteral("age")) == QStringLiteral("40"));
    CHECK(iv.answers().contains(QStringLiteral("how"))); // still there while open
}

TEST_CASE("load restores a draft and recomputes")
{
    const Form form = loadInline(kForm);
    Interview iv(form);
    iv.load({{QStringLiteral("consent"), QStringLiteral("yes")},
             {QStringLiteral("age"), QStringLiteral("66")},
             {QStringLiteral("aware"), QStringLiteral("yes")},
             {QStringLiteral("unknown_field"), QStringLiteral("x")}});
    CHECK(iv.isRelevant(QStringLiteral("how")));
    CHECK(iv.answer(QStringLiteral("band")) == QStringLiteral("older"));
    CHECK(iv.answer(QStringLiteral("unknown_field")).isEmpty());
}

// ---- The real vox pop (forms/community-contracts-voxpop.json), walked page by page ----------

#include "testpaths.h"

namespace {

Form loadVoxPop()
{
    FormLoadResult r = FormLoader::loadFile(kerbside::test::sourcePath("forms/community-contracts-voxpop.json"));
    REQUIRE(r.ok());
    return *r.form;
}

/** Walks the interview as the tablet does: answer what the page shows from `answers`, then
 *  Next. Returns the question names of the pages visited, one string per page. */
QStringList walk(Interview &iv, const QMap<QString, QString> &answers)
{
    QStringList visited;
    for (int p = iv.firstPage(); p >= 0; p = iv.nextPage(p)) {
        QStringList names;
        for (int q : iv.page(p).questions) {
            const QString &name = iv.form().questions[q].name;
            if (!iv.isRelevant(q))
                continue;
            names << name;
            if (answers.contains(name))
                iv.setAnswer(name, answers.value(name));
        }
        REQUIRE(iv.firstInvalidOnPage(p).isEmpty());
        visited << names.join(QLatin1Char(','));
        REQUIRE(visited.size() < 100);
    }
    return visited;
}

QMap<QString, QString> fullAnswers()
{
    return {{"consent", "yes"},          {"aware", "yes"},
            {"heard_how", "leaflet meeting"}, {"involved", "meeting priorities"},
            {"rate_drugs", "2"},         {"change_drugs", "better"},
            {"rate_bins", "4"},          {"change_bins", "same"},
            {"rate_graffiti", "3"},      {"change_graffiti", "worse"},
            {"rate_streets", "dk"},      {"change_streets", "dk"},
            {"influence", "2"},          {"trust_council", "1"},
            {"age_band", "35_44"},       {"gender", "woman"},
            {"tenure", "council"},       {"years_in_area", "12"},
            {"comment", "More bins near the flats, please."}};
}

} // namespace

TEST_CASE("vox pop: aware resident answers everything")
{
    const Form form = loadVoxPop();
    Interview iv(form);
    const QStringList pages = walk(iv, fullAnswers());
    CHECK(pages.first() == QStringLiteral("consent"));
    REQUIRE(pages.size() > 1);
    CHECK(pages[1] == QStringLiteral("age_band,gender")); // the screening page, right after consent
    CHECK(pages.contains(QStringLiteral("tenure,years_in_area")));
    CHECK(pages.contains(QStringLiteral("heard_how")));
    CHECK(pages.contains(QStringLiteral("rate_drugs,change_drugs")));
    CHECK(pages.last() == QStringLiteral("thanks"));
    CHECK(iv.canFinalise());
    CHECK_FALSE(iv.isRefusal());
    const QMap<QString, QString> kept = iv.finalAnswers();
    CHECK(kept.value(QStringLiteral("heard_how")) == QStringLiteral("leaflet meeting"));
    CHECK(kept.value(QStringLiteral("years_in_area")) == QStringLiteral("12"));
    CHECK(kept.contains(QStringLiteral("involved_any")));
}

TEST_CASE("vox pop: unaware resident skips the contract details")
{
    const Form form = loadVoxPop();
    Interview iv(form);
    QMap<QString, QString> a = fullAnswers();
    a[QStringLiteral("aware")] = QStringLiteral("no");
    const QStringList pages = walk(iv, a);
    CHECK_FALSE(pages.contains(QStringLiteral("heard_how")));
    CHECK_FALSE(pages.contains(QStringLiteral("involved")));
    CHECK(pages.contains(QStringLiteral("influence,trust_council")));
    CHECK(iv.canFinalise());
    CHECK_FALSE(iv.finalAnswers().contains(QStringLiteral("heard_how")));
}

TEST_CASE("vox pop: changing 'aware' to no after answering drops the details on finalise")
{
    const Form form = loadVoxPop();
    Interview iv(form);
    walk(iv, fullAnswers());
    iv.setAnswer(QStringLiteral("aware"), QStringLiteral("no"));
    CHECK(iv.canFinalise());
    CHECK(iv.answers().contains(QStringLiteral("heard_how")));
    CHECK_FALSE(iv.finalAnswers().contains(QStringLiteral("heard_how")));
    CHECK_FALSE(iv.finalAnswers().contains(QStringLiteral("involved")));
}

TEST_CASE("vox pop: refusal at consent ends it at once")
{
    const Form form = loadVoxPop();
    Interview iv(form);
    const QStringList pages = walk(iv, {{QStringLiteral("consent"), QStringLiteral("no")}});
    CHECK(pages == QStringList{QStringLiteral("consent")});
    CHECK(iv.isRefusal());
    CHECK(iv.canFinalise());
    CHECK(iv.finalAnswers().keys() == QStringList{QStringLiteral("consent")});
}

TEST_CASE("vox pop: constraints block bad answers with the form's message")
{
    const Form form = loadVoxPop();
    Interview iv(form);
    iv.setAnswer(QStringLiteral("consent"), QStringLiteral("yes"));
    iv.setAnswer(QStringLiteral("aware"), QStringLiteral("yes"));
    const AnswerCheck none = iv.checkValue(QStringLiteral("involved"), QStringLiteral("none meeting"));
    CHECK(none.kind == AnswerCheck::Kind::Constraint);
    CHECK_FALSE(none.message.isEmpty());
    iv.setAnswer(QStringLiteral("age_band"), QStringLiteral("16_24"));
    CHECK(iv.checkValue(QStringLiteral("years_in_area"), QStringLiteral("30")).kind == AnswerCheck::Kind::Constraint);
    CHECK(iv.checkValue(QStringLiteral("years_in_area"), QStringLiteral("20")).ok());
    CHECK(iv.checkValue(QStringLiteral("years_in_area"), QStringLiteral("-1")).kind == AnswerCheck::Kind::Constraint);
    CHECK(iv.checkValue(QStringLiteral("years_in_area"), QStringLiteral("1.5")).kind == AnswerCheck::Kind::Type);

    iv.setLanguage(QStringLiteral("pl"));
    const AnswerCheck pl = iv.check(QStringLiteral("age_band")); // fine: answered
    CHECK(pl.ok());
    const AnswerCheck plRequired = iv.check(QStringLiteral("gender"));
    CHECK(plRequired.kind == AnswerCheck::Kind::Required);
    CHECK_FALSE(plRequired.message.isEmpty());
    CHECK(plRequired.message != QStringLiteral("This question needs an answer."));
}
