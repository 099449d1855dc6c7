// SPDX-License-Identifier: Apache-2.0
// rank, geotrace and geoshape answers through the collector's merge (which refuses a shape that
// does not close) into `kerbside export`, read back by Python's csv module; and the codebook's
// note on a variable the XLSForm import renamed (its workbook name and group path).
#include "exportfixture.h"

#include "batchcodec.h"

#include <cmath>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const char *kTypesForm = R"({
  "format": "kerbside-form/1", "id": "types-test", "version": "1", "title": "Types",
  "default_language": "en", "languages": ["en"],
  "choices": {"priorities": [{"name": "bins", "label": "Bins"}, {"name": "lights", "label": "Lights"},
                             {"name": "roads", "label": "Roads"}]},
  "questions": [
    {"name": "order", "type": "rank", "choices": "priorities", "label": "Order"},
    {"name": "route", "type": "geotrace", "label": "Route"},
    {"name": "plot", "type": "geoshape", "label": "Plot"},
    {"type": "group", "name": "adult", "label": "Adult", "questions": [
      {"name": "age", "type": "integer", "label": "Age"}]},
    {"type": "group", "name": "school", "label": "School", "questions": [
      {"name": "school_age", "type": "integer", "label": "Age at school", "renamed_from": "child/school/age"}]}
  ]})";

Response typesResponse(const QString &uuid, const QString &cs, const QString &plot)
{
    Response r;
    r.meta.uuid = uuid;
    r.meta.formId = QStringLiteral("types-test");
    r.meta.formVersion = QStringLiteral("1");
    r.meta.caseStudy = cs;
    r.meta.enumerator = QStringLiteral("fw-x");
    r.meta.deviceId = QStringLiteral("dev-x");
    r.meta.status = ResponseStatus::Complete;
    r.meta.started = QDateTime(QDate(2026, 12, 2), QTime(10, 0), Qt::UTC);
    r.meta.ended = r.meta.started.addSecs(200);
    r.meta.updated = r.meta.ended;
    r.answers = {{QStringLiteral("order"), QStringLiteral("roads bins lights")},
                 {QStringLiteral("route"), QStringLiteral("53.4668 -2.2339 0 8.5;53.4701 -2.2372 0 6")},
                 {QStringLiteral("plot"), plot},
                 {QStringLiteral("age"), QStringLiteral("40")},
                 {QStringLiteral("school_age"), QStringLiteral("6")}};
    return r;
}

} // namespace

TEST_CASE("rank, geotrace, geoshape through the merge into the export; a renamed variable's codebook note", "[export]")
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("types.sqlite"));
    {
        auto store = openCollectorStore(db);
        SimulateOptions o;
        o.responses = 2;
        o.caseStudies = 1;
        o.seed = 5;
        o.poolSize = 2;
        Simulator(*store, voxpopForm(), readAll(voxpopPath()), o).run(); // a case study to publish to
        const QByteArray json(kTypesForm);
        REQUIRE(FormLoader::loadJson(json).ok());
        const QString cs = store->caseStudies().first().id;
        store->publishForm({QStringLiteral("types-test"), QStringLiteral("1"), QStringLiteral("Types"), json, {},
                            QDateTime::currentDateTimeUtc(), {}},
                           {cs});
        OutboxBatch batch;
        batch.responses.append(typesResponse(QStringLiteral("eeeeeeee-0000-4000-8000-000000000001"), cs,
                                             QStringLiteral("53.1 -2.1 0 5;53.2 -2.1 0 5;53.2 -2.2 0 5;53.1 -2.1 0 5")));
        batch.responses.append(typesResponse(QStringLiteral("eeeeeeee-0000-4000-8000-000000000002"), cs,
                                             QStringLiteral("53.1 -2.1 0 5;53.2 -2.1 0 5;53.2 -2.2 0 5"))); // open
        batch.paradata.append(QList<ParadataEvent>{});
        batch.paradata.append(QList<ParadataEvent>{});
        BatchHeader h;
        h.deviceId = QStringLiteral("dev-x");
        h.sequence = 1;
        h.created = QDateTime(QDate(2026, 12, 2), QTime(11, 0), Qt::UTC);
        const QByteArray raw = BatchCodec::encode(h, batch);
        const auto result = store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("usb"), h.created);
        CHECK(result.count(MergeOutcome::Accepted) == 1);
        CHECK(result.count(MergeOutcome::Rejected) == 1);
    }
    QTemporaryDir out;
    REQUIRE(runProcess(kerbsideBinary(), {QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--out"),
                                          out.path(), QStringLiteral("--all"), QStringLiteral("--format"),
                                          QStringLiteral("csv"), QStringLiteral("--coarsen-location"),
                                          QStringLiteral("250")})
                .exitCode
            == 0);
    const auto records = csvRecords(pythonCsv(out.filePath(QStringLiteral("types-test.csv"))));
    REQUIRE(records.size() == 1);
    const auto &rec = records.first();
    CHECK(rec.value(QStringLiteral("order")) == QStringLiteral("roads bins lights"));
    CHECK(rec.value(QStringLiteral("school_age")) == QStringLiteral("6"));
    // Every point of the line is on the 250 m grid, as a geopoint would be.
    const QStringList points = rec.value(QStringLiteral("route")).split(QLatin1Char(';'));
    REQUIRE(points.size() == 2);
    const double step = 250 / 111320.0;
    for (const QString &p : points) {
        const double lat = p.section(QLatin1Char(' '), 0, 0).toDouble();
        CHECK(std::abs(lat / step - std::round(lat / step)) < 1e-3);
        CHECK(p.section(QLatin1Char(' '), 3, 3).toDouble() >= 250);
    }
    CHECK(rec.value(QStringLiteral("plot")).split(QLatin1Char(';')).size() == 4);

    bool sawRenamed = false, sawRank = false;
    for (const auto &b : csvRecords(pythonCsv(out.filePath(QStringLiteral("codebook.csv"))))) {
        if (b.value(QStringLiteral("file")) != QStringLiteral("types-test"))
            continue;
        if (b.value(QStringLiteral("variable")) == QStringLiteral("school_age")) {
            sawRenamed = true;
            CHECK(b.value(QStringLiteral("note"))
                  == QStringLiteral("renamed at import: the XLSForm name is 'age' at child/school/age (the name is "
                                    "also used in another group)"));
        }
        if (b.value(QStringLiteral("variable")) == QStringLiteral("order")) {
            sawRank = true;
            CHECK(b.value(QStringLiteral("note")).contains(QStringLiteral("in the order ranked")));
        }
    }
    CHECK(sawRenamed);
    CHECK(sawRank);
}
