// SPDX-License-Identifier: Apache-2.0
// `kerbside simulate`: synthetic interviews that obey the form, merged like real batches.
#include "exportfixture.h"

#include "interview/interview.h"

#include <QRegularExpression>
#include <QSet>

#include <cmath>

using namespace kerbside;
using namespace kerbside::test;

TEST_CASE("Driven interviews obey relevance, constraints and finalisation", "[export][simulate]")
{
    const Form form = voxpopForm();
    const Question *involvedQ = form.question(QStringLiteral("involved"));
    REQUIRE(involvedQ);
    int refusals = 0, aware = 0, skippedYears = 0;
    const int n = 300;
    for (int seed = 1; seed <= n; ++seed) {
        bool refused = false;
        const QMap<QString, QString> a = Simulator::driveInterview(form, quint64(seed), 0.12, &refused);
        REQUIRE_FALSE(a.isEmpty());
        if (refused) {
            ++refusals;
            CHECK(a == QMap<QString, QString>{{QStringLiteral("consent"), QStringLiteral("no")}});
            continue;
        }
        CHECK(a.value(QStringLiteral("consent")) == QStringLiteral("yes"));
        const QString aw = a.value(QStringLiteral("aware"));
        CHECK((aw == QStringLiteral("yes") || aw == QStringLiteral("no") || aw == QStringLiteral("dk")));
        if (aw == QStringLiteral("yes")) {
            ++aware;
            CHECK_FALSE(a.value(QStringLiteral("heard_how")).isEmpty());
            const QStringList inv = a.value(QStringLiteral("involved")).split(QLatin1Char(' '));
            CHECK_FALSE(inv.isEmpty());
            CHECK((!inv.contains(QStringLiteral("none")) || inv.size() == 1));
        } else {
            CHECK_FALSE(a.contains(QStringLiteral("heard_how")));
            CHECK_FALSE(a.contains(QStringLiteral("involved")));
        }
        for (const char *q : {"rate_drugs", "change_bins", "influence", "trust_council", "age_band", "gender", "tenure"})
            CHECK(a.contains(QLatin1String(q)));
        if (a.contains(QStringLiteral("years_in_area"))) {
            const int years = a.value(QStringLiteral("years_in_area")).toInt();
            CHECK(years >= 0);
            CHECK(years <= 100);
            if (a.value(QStringLiteral("age_band")) == QStringLiteral("16_24"))
                CHECK(years <= 24);
        } else {
            ++skippedYears;
        }
        const bool involvedAny = aw == QStringLiteral("yes") && !a.value(QStringLiteral("involved")).contains(QStringLiteral("none"));
        CHECK(a.value(QStringLiteral("involved_any")) == QLatin1String(involvedAny ? "yes" : "no"));
        // The core itself accepts the answers as a finished interview.
        Interview check(form);
        check.load(a);
        CHECK(check.canFinalise());
        CHECK(check.finalAnswers() == a);
    }
    // The mix is plausible: some refusals, some aware, some optional answers skipped.
    CHECK(refusals > n / 25);
    CHECK(refusals < n / 4);
    CHECK(aware > n / 10);
    CHECK(skippedYears > 0);
}

TEST_CASE("simulate merges deterministic fieldwork through the batch path", "[export][simulate]")
{
    SimulatedDb a(400, 2, 11);
    SimulatedDb b(400, 2, 11);
    SimulatedDb c(50, 2, 12);
    CHECK(a.result.responses == 400);
    CHECK(a.store->responseCount() == 400);
    CHECK(a.store->batchCount() == a.result.batches);
    CHECK(a.result.batches >= 6); // 100 per batch, per device
    CHECK(a.result.contacts > 100);
    CHECK(a.store->contactCount() == a.result.contacts);
    CHECK(a.result.poolRejected == 0);
    CHECK(a.result.rejected == 0); // the collector accepts every simulated item

    struct Row
    {
        QString uuid, caseStudy, device, enumerator;
        QList<TypedAnswer> answers;
        QDateTime started, ended;
        double lat, lon;
    };
    auto rows = [](CollectorStore &s) {
        QList<Row> out;
        s.forEachResponse({}, [&](const StoredResponse &r) {
            out.append({r.meta.uuid, r.meta.caseStudy, r.meta.deviceId, r.meta.enumerator, r.answers,
                        r.meta.started, r.meta.ended, r.meta.location.latitude, r.meta.location.longitude});
            return true;
        });
        return out;
    };
    const QList<Row> ra = rows(*a.store), rb = rows(*b.store), rc = rows(*c.store);
    REQUIRE(ra.size() == rb.size());
    for (int i = 0; i < ra.size(); ++i) {
        CHECK(ra[i].uuid == rb[i].uuid);
        CHECK(ra[i].started == rb[i].started);
        REQUIRE(ra[i].answers.size() == rb[i].answers.size());
        for (int k = 0; k < ra[i].answers.size(); ++k)
            CHECK(ra[i].answers[k].value == rb[i].answers[k].value);
    }
    CHECK(rc.first().uuid != ra.first().uuid); // another seed, other data

    QHash<QString, QList<double>> centre; // sum lat, sum lon, count
    QHash<QString, QSet<QString>> devices;
    for (const Row &r : ra) {
        // Weekdays, daytime UK (09:30-19:00 local is 08:30-19:00 UTC across the BST change).
        CHECK(r.started.date().dayOfWeek() <= 5);
        CHECK(r.started.time() >= QTime(8, 30));
        CHECK(r.ended.time() <= QTime(19, 10));
        const qint64 secs = r.started.secsTo(r.ended);
        CHECK(secs >= 10);
        CHECK(secs <= 360);
        devices[r.caseStudy].insert(r.device);
        CHECK(r.enumerator.startsWith(QStringLiteral("fw-")));
        QList<double> &c = centre[r.caseStudy];
        c.resize(3);
        c[0] += r.lat;
        c[1] += r.lon;
        c[2] += 1;
    }
    CHECK(centre.size() == 2);
    for (const QSet<QString> &d : devices)
        CHECK(d.size() == 3);
    // Positions: a few hundred metres around the centre of each case study.
    for (const Row &r : ra) {
        const QList<double> &c = centre[r.caseStudy];
        const double dy = (r.lat - c[0] / c[2]) * 111320.0;
        const double dx = (r.lon - c[1] / c[2]) * 111320.0 * std::cos(r.lat * M_PI / 180.0);
        CHECK(std::hypot(dx, dy) < 800);
    }
    a.store->forEachResponse({}, [&](const StoredResponse &r) {
        if (r.meta.status == ResponseStatus::Complete) {
            const qint64 secs = r.meta.started.secsTo(r.meta.ended);
            CHECK(secs >= 120);
        }
        return true;
    });

    // Running the same seed again merges nothing new: every item is a duplicate.
    const qint64 batches = a.store->batchCount();
    SimulateOptions o;
    o.responses = 400;
    o.caseStudies = 2;
    o.seed = 11;
    o.batchSize = 100;
    o.poolSize = 300;
    const Form form = voxpopForm();
    Simulator again(*a.store, form, readAll(voxpopPath()), o);
    again.run();
    CHECK(a.store->responseCount() == 400);
    CHECK(a.store->contactCount() == a.result.contacts);
    CHECK(a.store->batchCount() == batches); // same batch UUIDs: replays, nothing logged twice
}

namespace {

Form rosterForm()
{
    const FormLoadResult r = FormLoader::loadFile(sourcePath(QStringLiteral("forms/household-roster.json")));
    REQUIRE(r.ok());
    return *r.form;
}

} // namespace

TEST_CASE("Driven interviews fill repeats: as many people as hh_size, 0 to 4 cars, trips inside cars", "[export][simulate][repeat]")
{
    const Form form = rosterForm();
    QSet<int> carCounts, tripCounts;
    int finished = 0;
    for (int seed = 1; seed <= 120; ++seed) {
        bool refused = false;
        const QMap<QString, QString> a = Simulator::driveInterview(form, quint64(seed), 0.1, &refused);
        REQUIRE_FALSE(a.isEmpty());
        if (refused)
            continue;
        ++finished;
        const int people = a.value(QStringLiteral("hh_size")).toInt();
        REQUIRE(people >= 1);
        REQUIRE(people <= 20);
        CHECK(a.value(QStringLiteral("person")).toInt() == people);
        for (int i = 1; i <= people; ++i) {
            CHECK_FALSE(a.value(QStringLiteral("person[%1]/pname").arg(i)).isEmpty());
            const QString age = a.value(QStringLiteral("person[%1]/age").arg(i));
            REQUIRE_FALSE(age.isEmpty());
            // Relevance per instance: a pension only for a person of 65 or more.
            if (age.toInt() < 65)
                CHECK_FALSE(a.contains(QStringLiteral("person[%1]/pension").arg(i)));
        }
        CHECK_FALSE(a.contains(QStringLiteral("person[%1]/pname").arg(people + 1)));
        const int cars = a.value(QStringLiteral("car"), QStringLiteral("0")).toInt();
        carCounts.insert(cars);
        CHECK(cars <= 4);
        CHECK(a.value(QStringLiteral("cars"), QStringLiteral("0")).toInt() == cars);
        for (int c = 1; c <= cars; ++c) {
            CHECK_FALSE(a.value(QStringLiteral("car[%1]/make").arg(c)).isEmpty());
            tripCounts.insert(a.value(QStringLiteral("car[%1]/trip").arg(c), QStringLiteral("0")).toInt());
        }
        CHECK_FALSE(a.contains(QStringLiteral("car[%1]/make").arg(cars + 1)));
        // The core accepts them as a finished interview, repeat keys and all.
        Interview check(form);
        check.load(a);
        CHECK(check.canFinalise());
        CHECK(check.finalAnswers() == a);
    }
    CHECK(finished > 90);
    // The counts vary: households without a car, with one, with several; trips likewise.
    CHECK(carCounts.contains(0));
    CHECK(carCounts.contains(1));
    CHECK(carCounts.size() >= 4);
    CHECK(tripCounts.size() >= 3);
}

TEST_CASE("simulate merges repeat interviews through the batch path; the export has one table per repeat", "[export][simulate][repeat]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("collector.sqlite"));
    const Form form = rosterForm();
    SimulateResult result;
    {
        std::unique_ptr<CollectorStore> store = openCollectorStore(path);
        SimulateOptions o;
        o.responses = 150;
        o.caseStudies = 2;
        o.seed = 5;
        o.batchSize = 50;
        o.poolSize = 60;
        Simulator sim(*store, form, readAll(sourcePath(QStringLiteral("forms/household-roster.json"))), o);
        result = sim.run();
        INFO(result.firstRejection.toStdString());
        CHECK(result.rejected == 0); // every repeat key fits the form, as the merge checks
        CHECK(result.poolRejected == 0);
        CHECK(store->responseCount() == 150);
    }
    // What the collector holds, counted from its answer keys: people, cars and trips.
    qint64 people = 0, cars = 0, trips = 0, complete = 0;
    {
        std::unique_ptr<CollectorStore> store = openCollectorStore(path);
        store->forEachResponse({}, [&](const StoredResponse &r) {
            if (r.meta.status == ResponseStatus::Complete)
                ++complete;
            for (const TypedAnswer &t : r.answers) {
                static const QRegularExpression car(QStringLiteral("^car\\[\\d+\\]/trip$"));
                if (t.question == QLatin1String("person"))
                    people += t.value.toInt();
                else if (t.question == QLatin1String("car"))
                    cars += t.value.toInt();
                else if (car.match(t.question).hasMatch())
                    trips += t.value.toInt();
            }
            return true;
        });
    }
    CHECK(complete > 100);
    CHECK(people > complete); // more than one person per household on average
    CHECK(cars > 0);
    CHECK(trips > 0);

    QTemporaryDir out;
    const ProcessResult r = runProcess(kerbsideBinary(), {QStringLiteral("export"), QStringLiteral("--db"), path,
                                                          QStringLiteral("--out"), out.path(), QStringLiteral("--all"),
                                                          QStringLiteral("--format"), QStringLiteral("csv")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const auto main = csvRecords(pythonCsv(out.filePath(QStringLiteral("household-roster.csv"))));
    const auto personRows = csvRecords(pythonCsv(out.filePath(QStringLiteral("household-roster.person.csv"))));
    const auto carRows = csvRecords(pythonCsv(out.filePath(QStringLiteral("household-roster.car.csv"))));
    const auto tripRows = csvRecords(pythonCsv(out.filePath(QStringLiteral("household-roster.trip.csv"))));
    CHECK(main.size() == 150);
    CHECK(personRows.size() == people);
    CHECK(carRows.size() == cars);
    CHECK(tripRows.size() == trips);
    // Every instance row points at an interview of the main table.
    QSet<QString> uuids;
    for (const auto &row : main)
        uuids.insert(row.value(QStringLiteral("uuid")));
    for (const auto *rows : {&personRows, &carRows, &tripRows}) {
        for (const auto &row : *rows) {
            CHECK(uuids.contains(row.value(QStringLiteral("parent_uuid"))));
            CHECK(row.value(QStringLiteral("_index")).toInt() >= 1);
        }
    }
}
