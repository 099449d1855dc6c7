// SPDX-License-Identifier: Apache-2.0
// Repeat groups in the form model and the interview: instance keys, repeat_count, open-ended
// "add another", ${q} inside an instance, position(..), indexed-repeat(), count()/sum()/join()
// over instances, removal with renumbering, drafts that resume with their instances.
#include "testpaths.h"

#include "form/formloader.h"
#include "form/repeatpath.h"
#include "interview/interview.h"

#include <catch2/catch.hpp>

using namespace kerbside;

namespace {

Form roster()
{
    const FormLoadResult r = FormLoader::loadFile(test::sourcePath(QStringLiteral("forms/household-roster.json")));
    for (const FormProblem &p : r.problems)
        UNSCOPED_INFO(p.toString().toStdString());
    REQUIRE(r.ok());
    return *r.form;
}

QStringList problemsOf(const char *json)
{
    QStringList out;
    for (const FormProblem &p : FormLoader::loadJson(QByteArray(json), QStringLiteral("inline")).problems)
        out << p.toString();
    return out;
}

int findPage(const Interview &iv, Page::Kind kind, const QString &firstKey = {}, int repeat = -1)
{
    for (int p = 0; p < iv.pageCount(); ++p) {
        const Page &page = iv.page(p);
        if (page.kind != kind)
            continue;
        if (kind == Page::Kind::RepeatEnd ? page.repeat == repeat : page.keys.value(0) == firstKey)
            return p;
    }
    return -1;
}

} // namespace

TEST_CASE("repeat keys name the instance path and are checked against the form")
{
    const Form form = roster();
    const int person = form.groupIndexOf(QStringLiteral("person"));
    const int trip = form.groupIndexOf(QStringLiteral("trip"));
    REQUIRE(form.groups[person].repeat);
    REQUIRE(form.hasRepeats());
    CHECK(repeatpath::answerKey(form, form.indexOf(QStringLiteral("age")), {2}) == QStringLiteral("person[2]/age"));
    CHECK(repeatpath::answerKey(form, form.indexOf(QStringLiteral("destination")), {1, 3})
          == QStringLiteral("car[1]/trip[3]/destination"));
    CHECK(repeatpath::countKey(form, trip, {2}) == QStringLiteral("car[2]/trip"));
    CHECK(repeatpath::countKey(form, person, {}) == QStringLiteral("person"));

    auto parsed = repeatpath::parseKey(form, u"car[2]/trip[1]/destination");
    CHECK(parsed.ok());
    CHECK(parsed.question == form.indexOf(QStringLiteral("destination")));
    CHECK(parsed.instance == QList<int>{2, 1});
    parsed = repeatpath::parseKey(form, u"car[2]/trip");
    CHECK(parsed.repeat == trip);
    CHECK(parsed.instance == QList<int>{2});
    CHECK(repeatpath::parseKey(form, u"hh_size").question == form.indexOf(QStringLiteral("hh_size")));
    // Wrong depth, unknown names, bad indexes.
    CHECK_THAT(repeatpath::parseKey(form, u"age").problem.toStdString(), Catch::Contains("person[N]/age"));
    CHECK_THAT(repeatpath::parseKey(form, u"person[1]/destination").problem.toStdString(), Catch::Contains("car[N]/trip[N]/destination"));
    CHECK_THAT(repeatpath::parseKey(form, u"person[0]/age").problem.toStdString(), Catch::Contains("1 to 200"));
    CHECK_THAT(repeatpath::parseKey(form, u"person[201]/age").problem.toStdString(), Catch::Contains("1 to 200"));
    CHECK_THAT(repeatpath::parseKey(form, u"person[01]/age").problem.toStdString(), Catch::Contains("1 to 200"));
    CHECK_THAT(repeatpath::parseKey(form, u"person[1]/nope").problem.toStdString(), Catch::Contains("neither"));
    CHECK_THAT(repeatpath::parseKey(form, u"hh_size[1]/age").problem.toStdString(), Catch::Contains("not a repeat"));
    CHECK_FALSE(repeatpath::parseKey(form, u"person[1]/age/x").ok());
}

TEST_CASE("the reader refuses repeats it cannot ask")
{
    const QStringList inPage = problemsOf(R"json({"format": "kerbside-form/1", "id": "t", "version": "1",
      "title": "T", "default_language": "en", "languages": ["en"], "questions": [
      {"type": "group", "name": "g", "page": true, "questions": [
        {"type": "repeat", "name": "r", "questions": [{"name": "a", "type": "text", "label": "A"}]}]}]})json");
    CHECK_THAT(inPage.join('\n').toStdString(), Catch::Contains("cannot be inside a one-page group"));
    const QStringList badCount = problemsOf(R"json({"format": "kerbside-form/1", "id": "t", "version": "1",
      "title": "T", "default_language": "en", "languages": ["en"], "questions": [
        {"type": "repeat", "name": "r", "repeat_count": 2.5, "questions": [{"name": "a", "type": "text", "label": "A"}]},
        {"type": "group", "name": "g", "repeat_count": 2, "questions": [{"name": "b", "type": "text", "label": "B"}]},
        {"type": "repeat", "name": "s", "repeat_count": "${nope}", "questions": [{"name": "c", "type": "text", "label": "C"}]}]})json");
    const std::string all = badCount.join('\n').toStdString();
    CHECK_THAT(all, Catch::Contains("$.questions[0].repeat_count: 'repeat_count' must be a whole number"));
    CHECK_THAT(all, Catch::Contains("$.questions[1].repeat_count: 'repeat_count' applies only to repeats"));
    CHECK_THAT(all, Catch::Contains("$.questions[2].repeat_count: refers to unknown field ${nope}"));
}

TEST_CASE("repeat_count lays out one set of pages per instance and ${q} stays in its instance")
{
    const Form form = roster();
    Interview iv(form);
    iv.setAnswer(QStringLiteral("consent"), QStringLiteral("yes"));
    CHECK(iv.instanceCount(QStringLiteral("person")) == 0);
    iv.setAnswer(QStringLiteral("hh_size"), QStringLiteral("3"));
    CHECK(iv.instanceCount(QStringLiteral("person")) == 3);

    // Each instance: a name page, then the one-page group (age + sex); pension only at 65+.
    const int name2 = iv.pageOf(QStringLiteral("person[2]/pname"));
    REQUIRE(name2 >= 0);
    CHECK(iv.page(name2).instance == QList<int>{2});
    CHECK(iv.instanceTitle(name2) == QStringLiteral("Person 2"));
    const int details2 = iv.pageOf(QStringLiteral("person[2]/age"));
    CHECK(details2 == name2 + 1);
    CHECK(iv.page(details2).keys == QStringList{QStringLiteral("person[2]/age"), QStringLiteral("person[2]/sex")});
    CHECK(iv.pageOf(QStringLiteral("person[3]/pname")) > details2);
    CHECK(iv.pageOf(QStringLiteral("person[4]/pname")) == -1);

    const QStringList names{QStringLiteral("Ala"), QStringLiteral("Bartek"), QStringLiteral("Celina")};
    const QStringList ages{QStringLiteral("40"), QStringLiteral("12"), QStringLiteral("70")};
    for (int i = 0; i < 3; ++i) {
        const QString at = QStringLiteral("person[%1]/").arg(i + 1);
        iv.setAnswer(at + QStringLiteral("pname"), names[i]);
        const QStringList changed = iv.setAnswer(at + QStringLiteral("age"), ages[i]);
        CHECK(changed.contains(at + QStringLiteral("is_adult")) == (i != 1)); // 12: stays 0
        CHECK(changed.contains(QStringLiteral("total_age")));
    }
    // Relevance and calculations per instance; position(..) is the instance's index.
    CHECK_FALSE(iv.isRelevant(QStringLiteral("person[1]/pension")));
    CHECK(iv.isRelevant(QStringLiteral("person[3]/pension")));
    CHECK(iv.answer(QStringLiteral("person[2]/is_adult")) == QStringLiteral("0"));
    CHECK(iv.answer(QStringLiteral("person[3]/is_adult")) == QStringLiteral("1"));
    CHECK(iv.answer(QStringLiteral("person[3]/person_no")) == QStringLiteral("3"));
    // count()/sum()/join() over the instances, indexed-repeat() into one.
    CHECK(iv.answer(QStringLiteral("adults")) == QStringLiteral("2"));
    CHECK(iv.answer(QStringLiteral("total_age")) == QStringLiteral("122"));
    CHECK(iv.answer(QStringLiteral("names")) == QStringLiteral("Ala, Bartek, Celina"));
    CHECK(iv.answer(QStringLiteral("first_name")) == QStringLiteral("Ala"));
    // Checks run in the instance: the constraint on age, required in each.
    CHECK(iv.checkValue(QStringLiteral("person[2]/age"), QStringLiteral("130")).kind == AnswerCheck::Kind::Constraint);
    iv.setAnswer(QStringLiteral("person[2]/pname"), QString());
    const QList<FinaliseIssue> issues = iv.finaliseIssues();
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].question == QStringLiteral("person[2]/pname"));
    CHECK(issues[0].page == name2);
    iv.setAnswer(QStringLiteral("person[2]/pname"), QStringLiteral("Bartek"));

    // Fewer people: the third instance goes, and with it its answers from what is kept.
    iv.setAnswer(QStringLiteral("hh_size"), QStringLiteral("2"));
    CHECK(iv.answer(QStringLiteral("total_age")) == QStringLiteral("52"));
    CHECK(iv.pageOf(QStringLiteral("person[3]/pname")) == -1);
    const QMap<QString, QString> final = iv.finalAnswers();
    CHECK(final.value(QStringLiteral("person")) == QStringLiteral("2"));
    CHECK(final.value(QStringLiteral("person[2]/pname")) == QStringLiteral("Bartek"));
    CHECK_FALSE(final.contains(QStringLiteral("person[3]/pname")));
    CHECK_FALSE(final.contains(QStringLiteral("person[1]/works"))); // not relevant
    CHECK(final.value(QStringLiteral("adults")) == QStringLiteral("1"));
}

TEST_CASE("open-ended repeats: add another, nested, remove with renumbering, resume")
{
    const Form form = roster();
    const int car = form.groupIndexOf(QStringLiteral("car"));
    const int trip = form.groupIndexOf(QStringLiteral("trip"));
    Interview iv(form);
    iv.setAnswer(QStringLiteral("consent"), QStringLiteral("yes"));
    iv.setAnswer(QStringLiteral("hh_size"), QStringLiteral("1"));

    int end = findPage(iv, Page::Kind::RepeatEnd, {}, car);
    REQUIRE(end >= 0);
    CHECK(iv.isPageRelevant(end));
    CHECK(iv.instanceTitle(end) == QStringLiteral("Car"));
    // The "add another" page follows the person's pages and precedes the thank-you note.
    CHECK(iv.nextPage(iv.pageOf(QStringLiteral("person[1]/age"))) == end);

    for (const QString &make : {QStringLiteral("Fiat"), QStringLiteral("Skoda"), QStringLiteral("Opel")}) {
        end = findPage(iv, Page::Kind::RepeatEnd, {}, car);
        const int first = iv.addInstance(end);
        REQUIRE(first >= 0);
        REQUIRE(iv.page(first).keys.value(0).endsWith(QStringLiteral("/make")));
        iv.setAnswer(iv.page(first).keys[0], make);
    }
    CHECK(iv.instanceCount(QStringLiteral("car")) == 3);
    CHECK(iv.answer(QStringLiteral("cars")) == QStringLiteral("3"));
    CHECK(iv.answer(QStringLiteral("car[2]/make")) == QStringLiteral("Skoda"));

    // Trips of the second car: its own "add another" page, inside the car's instance.
    int tripEnd = -1;
    for (int p = 0; p < iv.pageCount(); ++p) {
        if (iv.page(p).kind == Page::Kind::RepeatEnd && iv.page(p).repeat == trip && iv.page(p).instance == QList<int>{2})
            tripEnd = p;
    }
    REQUIRE(tripEnd >= 0);
    const int t1 = iv.addInstance(tripEnd);
    CHECK(iv.page(t1).keys == QStringList{QStringLiteral("car[2]/trip[1]/destination")});
    iv.setAnswer(QStringLiteral("car[2]/trip[1]/destination"), QStringLiteral("Kraków"));
    CHECK(iv.instanceCount(QStringLiteral("car[2]/trip")) == 1);
    // indexed-repeat() through two repeats, outermost first (the ODK spec's form).
    CHECK(iv.answer(QStringLiteral("second_car_first_trip")) == QStringLiteral("Kraków"));

    // A draft keeps instances, even one with no answer yet.
    const int t2 = iv.addInstance(iv.nextPage(t1));
    CHECK(iv.page(t2).keys == QStringList{QStringLiteral("car[2]/trip[2]/destination")});
    const QMap<QString, QString> draft = iv.answers();
    CHECK(draft.value(QStringLiteral("car")) == QStringLiteral("3"));
    CHECK(draft.value(QStringLiteral("car[2]/trip")) == QStringLiteral("2"));
    Interview resumed(form);
    resumed.load(draft);
    CHECK(resumed.instanceCount(QStringLiteral("car[2]/trip")) == 2);
    CHECK(resumed.pageOf(QStringLiteral("car[2]/trip[2]/destination")) >= 0);
    CHECK(resumed.answers() == draft);

    // Removing the first car moves the others down with their trips.
    REQUIRE(iv.canRemoveInstance(iv.pageOf(QStringLiteral("car[1]/make"))));
    CHECK_FALSE(iv.canRemoveInstance(iv.pageOf(QStringLiteral("person[1]/pname")))); // counted by hh_size
    const int after = iv.removeInstance(iv.pageOf(QStringLiteral("car[1]/make")));
    CHECK(iv.page(after).keys.value(0) == QStringLiteral("car[1]/make"));
    CHECK(iv.instanceCount(QStringLiteral("car")) == 2);
    CHECK(iv.answer(QStringLiteral("car[1]/make")) == QStringLiteral("Skoda"));
    CHECK(iv.answer(QStringLiteral("car[1]/trip[1]/destination")) == QStringLiteral("Kraków"));
    CHECK(iv.instanceCount(QStringLiteral("car[1]/trip")) == 2);
    CHECK(iv.answer(QStringLiteral("car[2]/make")) == QStringLiteral("Opel"));
    CHECK(iv.instanceCount(QStringLiteral("car[2]/trip")) == 0);
    CHECK(iv.answer(QStringLiteral("car[3]/make")).isEmpty());
    CHECK(iv.answer(QStringLiteral("cars")) == QStringLiteral("2"));
    CHECK(iv.answer(QStringLiteral("second_car_first_trip")).isEmpty()); // Opel has no trips
    // ${make} inside the nested repeat reads its own car.
    CHECK(iv.finalAnswers().value(QStringLiteral("car[1]/trip[1]/destination")) == QStringLiteral("Kraków"));
}

TEST_CASE("position, indexed-repeat and node-set functions outside repeats keep their old meaning")
{
    const Form form = roster();
    Interview iv(form);
    // No instances: sums of nothing are 0, counts 0, indexed-repeat empty.
    CHECK(iv.answer(QStringLiteral("total_age")) == QStringLiteral("0"));
    CHECK(iv.answer(QStringLiteral("cars")) == QStringLiteral("0"));
    CHECK(iv.answer(QStringLiteral("first_name")).isEmpty());
    const Expression e = Expression::parse(QStringLiteral("position(..) + count(${x}) + sum(${x})"));
    REQUIRE(e.isValid());
    CHECK_FALSE(Expression::parse(QStringLiteral("position(${x})")).isValid());
    CHECK_FALSE(Expression::parse(QStringLiteral("indexed-repeat(${x}, ${r})")).isValid());
    CHECK_FALSE(Expression::parse(QStringLiteral("indexed-repeat('a', ${r}, 1)")).isValid());
    CHECK_FALSE(Expression::parse(QStringLiteral("../x")).isValid());
}
