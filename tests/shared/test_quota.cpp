// SPDX-License-Identifier: Apache-2.0
// shared/quota: targets files and their refusals, cells and time slots, raking against a
// hand-worked example.
#include "form/formloader.h"
#include "quota/quotafiles.h"
#include "quota/quotaprogress.h"
#include "quota/raking.h"

#include "testpaths.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace kerbside;
using namespace kerbside::quota;

namespace {

Form voxpop()
{
    const FormLoadResult r = FormLoader::loadFile(QStringLiteral(KERBSIDE_SOURCE_DIR "/forms/community-contracts-voxpop.json"));
    REQUIRE(r.ok());
    return *r.form;
}

} // namespace

TEST_CASE("a targets file becomes the full cross-product, omitted cells at 0")
{
    const Form form = voxpop();
    QString error;
    const auto plan = planFromTargets(form, {QStringLiteral("age_band"), QStringLiteral("gender")},
                                      "age_band,gender,target\n55_64,woman,12\r\n\"16_24\",man,3\n", QStringLiteral("t.csv"), &error);
    REQUIRE(plan);
    CHECK(plan->cells().size() == 8 * 4);
    CHECK(plan->targets.size() == 32);
    CHECK(plan->targets.value(QStringLiteral("age_band=55_64;gender=woman")) == 12);
    CHECK(plan->targets.value(QStringLiteral("age_band=16_24;gender=man")) == 3);
    CHECK(plan->targets.value(QStringLiteral("age_band=16_24;gender=woman")) == 0);
    CHECK(plan->totalTarget() == 15);
    const QMap<QString, QString> answers{{QStringLiteral("age_band"), QStringLiteral("55_64")},
                                         {QStringLiteral("gender"), QStringLiteral("woman")}};
    auto lookup = [&](const QString &q) { return answers.value(q); };
    CHECK(plan->cellOf(lookup, QDateTime::currentDateTimeUtc()) == QStringLiteral("age_band=55_64;gender=woman"));
    CHECK(plan->cellOf([](const QString &) { return QStringLiteral("55_64"); }, {}).isEmpty()); // gender not a listed value
    CHECK(plan->cellOf([](const QString &) { return QString(); }, {}).isEmpty());
    // Round trip through what tablets receive.
    const Plan back = Plan::fromJson(plan->toJson());
    CHECK(back.targets == plan->targets);
    CHECK(back.dimensions.size() == 2);
    CHECK(back.formId == form.id);
}

TEST_CASE("targets files are refused with the reason and the line")
{
    const Form form = voxpop();
    struct Bad
    {
        QStringList by;
        QByteArray csv;
        const char *reason;
    };
    const QString age = QStringLiteral("age_band"), gender = QStringLiteral("gender");
    const Bad table[] = {
        {{QStringLiteral("heard_how")}, "heard_how,target\nleaflet,3\n", "is select_multiple, not select_one"},
        {{QStringLiteral("lived_years")}, "lived_years,target\n1,3\n", "has no question"},
        {{age, age}, "age_band,target\n16_24,3\n", "twice"},
        {{age}, "age_band,target\n16_25,3\n", "t.csv line 2: \"16_25\" is not a choice of age_band"},
        {{age}, "age_band,target\n16_24,3\n25_34,1\n16_24,2\n", "t.csv line 4: cell age_band=16_24 is already given on line 2"},
        {{age}, "age_band,target\n16_24,-1\n", "t.csv line 2: target \"-1\" must be a whole number"},
        {{age}, "age_band,target\n16_24,2.5\n", "must be a whole number"},
        {{age}, "age,target\n16_24,2\n", "no column \"age_band\""},
        {{age}, "age_band,count\n16_24,2\n", "no column \"target\""},
        {{age}, "age_band,gender,target\n16_24,woman,2\n", "column \"gender\" is neither"},
        {{age}, "age_band,target\n16_24\n", "line 2: 1 fields, the header has 2"},
        {{}, "target\n2\n", "at least one question"},
    };
    for (const Bad &b : table) {
        INFO(b.csv.constData());
        QString error;
        CHECK_FALSE(planFromTargets(form, b.by, b.csv, QStringLiteral("t.csv"), &error));
        CHECK(error.contains(QString::fromUtf8(b.reason)));
    }
    // A question that is not select_one.
    for (const Question &q : form.questions) {
        if (q.type == QuestionType::SelectMultiple || q.type == QuestionType::Integer) {
            QString error;
            CHECK_FALSE(planFromTargets(form, {q.name}, "x,target\n", QStringLiteral("t.csv"), &error));
            CHECK(error.contains(QStringLiteral("not select_one")));
            break;
        }
    }
}

TEST_CASE("@timeslot: weekday/weekend by morning, afternoon, evening in the plan's zone")
{
    const QTimeZone london("Europe/London");
    REQUIRE(london.isValid());
    // Tuesday 1 December 2026 (GMT = UTC), Saturday 5 December.
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 1), QTime(6, 0), Qt::UTC), london) == QStringLiteral("weekday_morning"));
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 1), QTime(11, 59), Qt::UTC), london) == QStringLiteral("weekday_morning"));
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 1), QTime(12, 0), Qt::UTC), london) == QStringLiteral("weekday_afternoon"));
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 1), QTime(17, 0), Qt::UTC), london) == QStringLiteral("weekday_evening"));
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 1), QTime(22, 0), Qt::UTC), london).isEmpty());
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 1), QTime(5, 59), Qt::UTC), london).isEmpty());
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 5), QTime(13, 0), Qt::UTC), london) == QStringLiteral("weekend_afternoon"));
    // Summer time: 05:30 UTC on Monday 6 July is 06:30 in London.
    CHECK(timeslotOf(QDateTime(QDate(2026, 7, 6), QTime(5, 30), Qt::UTC), london) == QStringLiteral("weekday_morning"));
    // Sunday 23:30 UTC in Warsaw (CET, +1) is Monday 00:30: no slot; 05:30 UTC Monday is 06:30 weekday.
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 6), QTime(23, 30), Qt::UTC), QTimeZone("Europe/Warsaw")).isEmpty());
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 7), QTime(5, 30), Qt::UTC), QTimeZone("Europe/Warsaw")) == QStringLiteral("weekday_morning"));
}

TEST_CASE("@timeslot reads the tablet's recorded offset from UTC where there is one")
{
    const QTimeZone london("Europe/London");
    const QDateTime tenUtc(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);
    CHECK(timeslotOf(tenUtc, london) == QStringLiteral("weekday_morning"));
    // The tablet said UTC-05:00 (05:00 on its clock: no slot) or UTC+03:00 (13:00: afternoon).
    CHECK(timeslotOf(tenUtc, london, -5 * 3600).isEmpty());
    CHECK(timeslotOf(tenUtc, london, 3 * 3600) == QStringLiteral("weekday_afternoon"));
    // A recorded offset of 0 is used too (not taken for "not recorded"): 21:30 UTC is evening
    // at UTC+00:00 and past 22:00 in Warsaw.
    const QDateTime late(QDate(2026, 12, 1), QTime(21, 30), Qt::UTC);
    CHECK(timeslotOf(late, QTimeZone("Europe/Warsaw")).isEmpty());
    CHECK(timeslotOf(late, QTimeZone("Europe/Warsaw"), 0) == QStringLiteral("weekday_evening"));
    // Friday 23:00 UTC at UTC+14:00 (Kiribati) is Saturday 13:00.
    CHECK(timeslotOf(QDateTime(QDate(2026, 12, 4), QTime(23, 0), Qt::UTC), london, 14 * 3600) == QStringLiteral("weekend_afternoon"));
    Plan p;
    p.dimensions = {{QString::fromLatin1(kTimeslot), timeslotNames()}};
    p.timeZone = "Europe/London";
    CHECK(p.cellOf([](const QString &) { return QString(); }, tenUtc, 3 * 3600) == QStringLiteral("@timeslot=weekday_afternoon"));
    CHECK(p.cellOf([](const QString &) { return QString(); }, tenUtc) == QStringLiteral("@timeslot=weekday_morning"));
}

TEST_CASE("population margins: shares checked against the list and summing to 1")
{
    const Form form = voxpop();
    QString error;
    auto m = marginFromFile(form, QStringLiteral("gender"), "gender,share\nwoman,0.52\nman,0.48\n", QStringLiteral("g.csv"), &error);
    REQUIRE(m);
    CHECK(m->value(QStringLiteral("woman")) == Approx(0.52));
    CHECK_FALSE(marginFromFile(form, QStringLiteral("gender"), "gender,share\nwoman,0.5\nman,0.4\n", QStringLiteral("g.csv"), &error));
    CHECK(error.contains(QStringLiteral("add up to 0.9")));
    CHECK_FALSE(marginFromFile(form, QStringLiteral("gender"), "gender,share\nwomen,1\n", QStringLiteral("g.csv"), &error));
    CHECK(error.contains(QStringLiteral("g.csv line 2")));
    CHECK_FALSE(marginFromFile(form, QStringLiteral("gender"), "gender,share\nwoman,0.5\nwoman,0.5\n", QStringLiteral("g.csv"), &error));
    CHECK(error.contains(QStringLiteral("already given on line 2")));
    CHECK_FALSE(marginFromFile(form, QStringLiteral("gender"), "gender,share\nwoman,1.5\nman,-0.5\n", QStringLiteral("g.csv"), &error));
    CHECK(marginFromFile(form, QStringLiteral("gender"), "choice,share\nwoman,0.5\nman,0.5004\n", QStringLiteral("g.csv"), &error));
}

TEST_CASE("raking: two margins, four cells, worked by hand")
{
    // Sample (n = 10): man/young 2, man/old 3, woman/young 4, woman/old 1.
    // Population: man 0.5, woman 0.5; young 0.4, old 0.6.
    // Raking keeps the cross-ratio of the cell totals T: T_my*T_wo / (T_mo*T_wy) = 2*1/(3*4).
    // With T_my = t: T_mo = 5 - t, T_wy = 4 - t, T_wo = 1 + t, so 6 t (1 + t) = (5 - t)(4 - t),
    // 5t^2 + 15t - 20 = 0, t = 1: totals 1, 4, 3, 2 and weights 1/2, 4/3, 3/4, 2.
    // Kish: n * sum(w^2) / (sum w)^2 = 10 * (2/4 + 3*16/9 + 4*9/16 + 4) / 100 = 1.208333...
    QList<QStringList> answers;
    auto add = [&](const char *sex, const char *age, int k) {
        for (int i = 0; i < k; ++i)
            answers.append({QString::fromLatin1(sex), QString::fromLatin1(age)});
    };
    add("man", "young", 2);
    add("man", "old", 3);
    add("woman", "young", 4);
    add("woman", "old", 1);
    answers.append({QStringLiteral("man"), QString()}); // no age: left out
    const QList<Margin> margins{
        {QStringLiteral("sex"), {{QStringLiteral("man"), 0.5}, {QStringLiteral("woman"), 0.5}}},
        {QStringLiteral("age"), {{QStringLiteral("young"), 0.4}, {QStringLiteral("old"), 0.6}}}};
    const RakingResult r = rake(answers, margins);
    REQUIRE(r.converged);
    CHECK(r.raked == 10);
    CHECK(r.leftOut == 1);
    CHECK(std::isnan(r.weights[10]));
    const double expected[] = {0.5, 0.5, 4. / 3, 4. / 3, 4. / 3, 0.75, 0.75, 0.75, 0.75, 2.0};
    for (int i = 0; i < 10; ++i)
        CHECK(r.weights[i] == Approx(expected[i]).margin(1e-5));
    CHECK(r.kishDeff == Approx(12.083333 / 10).margin(1e-5));
    CHECK(r.weightedShares[0].value(QStringLiteral("woman")) == Approx(0.5).margin(1e-6));
    CHECK(r.weightedShares[1].value(QStringLiteral("old")) == Approx(0.6).margin(1e-6));

    // Without margins every weight is 1 and the design effect is 1.
    const RakingResult none = rake(answers, {});
    CHECK(none.weights == QList<double>(11, 1.0));
    CHECK(none.kishDeff == 1.0);

    // A category the population has and the sample lacks cannot be raked to: said, not hidden.
    const RakingResult missing = rake(answers, {{QStringLiteral("sex"), {{QStringLiteral("man"), 0.4}, {QStringLiteral("woman"), 0.3}, {QStringLiteral("other"), 0.3}}}});
    CHECK_FALSE(missing.converged);
    CHECK(missing.problem.contains(QStringLiteral("sex=other")));
}

TEST_CASE("tablet figures: the collector's last counts plus this tablet's completes, most needed first, and a full cell said plainly")
{
    const Form form = voxpop();
    QString error;
    auto plan = planFromTargets(form, {QStringLiteral("age_band"), QStringLiteral("gender")},
                                "age_band,gender,target\n55_64,woman,12\n16_24,man,3\n25_34,woman,5\n", QStringLiteral("t.csv"), &error);
    REQUIRE(plan);
    const QString women55 = QStringLiteral("age_band=55_64;gender=woman");
    const QString men16 = QStringLiteral("age_band=16_24;gender=man");
    const QString women25 = QStringLiteral("age_band=25_34;gender=woman");
    const QMap<QString, qint64> collector{{women55, 11}, {men16, 1}, {women25, 5}};
    const QMap<QString, qint64> local{{women55, 1}, {men16, 1}};
    const Progress p = progress(*plan, collector, local, form);
    CHECK(p.totalTarget == 20);
    CHECK(p.totalTowardTarget == 12 + 2 + 5);
    REQUIRE(p.cells.size() == 3); // cells without a target are not shown
    CHECK(p.cells[0].cell == men16); // 1 still needed
    CHECK(p.cells[0].achieved == 2);
    CHECK(p.cells[0].label == QStringLiteral("16 to 24 · Man"));
    CHECK(p.cells[1].full());
    CHECK(progress(*plan, collector, local, form, QStringLiteral("pl")).cells[0].label == QStringLiteral("16–24 lata · Mężczyzna"));

    QMap<QString, qint64> achieved = collector;
    for (auto it = local.constBegin(); it != local.constEnd(); ++it)
        achieved[it.key()] += it.value();
    QMap<QString, QString> answers{{QStringLiteral("age_band"), QStringLiteral("55_64")}};
    auto lookup = [&](const QString &q) { return answers.value(q); };
    const QDateTime now = QDateTime::currentDateTimeUtc();
    CHECK(fullCellNotice(*plan, achieved, lookup, now, form, QStringLiteral("Northfield Estate")).isEmpty()); // gender not yet known
    answers.insert(QStringLiteral("gender"), QStringLiteral("woman"));
    CHECK(fullCellNotice(*plan, achieved, lookup, now, form, QStringLiteral("Northfield Estate"))
          == QStringLiteral("Quota full: 55 to 64 · Woman in Northfield Estate"));
    answers.insert(QStringLiteral("gender"), QStringLiteral("man"));
    CHECK(fullCellNotice(*plan, achieved, lookup, now, form, QStringLiteral("Northfield Estate"))
          == QStringLiteral("Quota full: 55 to 64 · Man in Northfield Estate")); // target 0: not needed
    answers.insert(QStringLiteral("age_band"), QStringLiteral("16_24"));
    CHECK(fullCellNotice(*plan, achieved, lookup, now, form, QStringLiteral("Northfield Estate")).isEmpty()); // 2 of 3
}
