// SPDX-License-Identifier: Apache-2.0
// `kerbside simulate`: synthetic interviews that obey the form, merged like real batches.
#include "exportfixture.h"

#include "interview/interview.h"

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
