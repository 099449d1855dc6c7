// SPDX-License-Identifier: Apache-2.0
// Repeat groups from the interview to the analyst: answers made by the real Interview for the
// shipped household roster, encoded as kerbside.v1 bytes, checked and merged by the collector
// (which refuses keys that do not fit the form), then exported as one table per repeat
// (parent_uuid, _parent_index, _index) in CSV, .sav and .dta, read back by Python's csv
// module, PSPP, ReadStat's CLI and R haven.
#include "exportfixture.h"

#include "batchcodec.h"
#include "interview/interview.h"

#include <QStandardPaths>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QString kUuid = QStringLiteral("0190b000-0000-7000-8000-00000000000%1");

QString rosterPath()
{
    return sourcePath(QStringLiteral("forms/household-roster.json"));
}

Form rosterForm()
{
    const FormLoadResult r = FormLoader::loadFile(rosterPath());
    REQUIRE(r.ok());
    return *r.form;
}

Response response(const QString &uuid, const QMap<QString, QString> &answers)
{
    Response r;
    r.meta.uuid = uuid;
    r.meta.formId = QStringLiteral("household-roster");
    r.meta.formVersion = QStringLiteral("2026120101");
    r.meta.caseStudy = QStringLiteral("cs1");
    r.meta.enumerator = QStringLiteral("fw-a");
    r.meta.deviceId = QStringLiteral("dev-a");
    r.meta.status = ResponseStatus::Complete;
    r.meta.started = QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);
    r.meta.ended = r.meta.started.addSecs(600);
    r.meta.updated = r.meta.ended;
    r.meta.language = QStringLiteral("pl");
    r.answers = answers;
    return r;
}

/** Two households interviewed through the real Interview, merged into a collector database. */
struct RosterDb
{
    QTemporaryDir dir;
    QString path;
    Form form = rosterForm();
    std::unique_ptr<CollectorStore> store;
    MergeResult merged;

    RosterDb()
    {
        path = dir.filePath(QStringLiteral("roster.sqlite"));
        store = openCollectorStore(path);
        store->addCaseStudy(QStringLiteral("cs1"), QStringLiteral("Case study 1"));
        const QByteArray json = readAll(rosterPath());
        const QDateTime published(QDate(2026, 12, 1), QTime(8, 0), Qt::UTC);
        store->publishForm({form.id, form.version, QStringLiteral("Household roster"), json, {}, published, {}},
                           {QStringLiteral("cs1")});

        OutboxBatch batch;
        { // three people (one a pensioner), two cars, the second with two trips
            Interview iv(form);
            iv.setAnswer(QStringLiteral("consent"), QStringLiteral("yes"));
            iv.setAnswer(QStringLiteral("hh_size"), QStringLiteral("3"));
            const char *people[][3] = {{"Ala", "40", "female"}, {"Bartek", "12", "male"}, {"Celina", "70", "dk"}};
            for (int i = 0; i < 3; ++i) {
                const QString at = QStringLiteral("person[%1]/").arg(i + 1);
                iv.setAnswer(at + QStringLiteral("pname"), QString::fromUtf8(people[i][0]));
                iv.setAnswer(at + QStringLiteral("age"), QString::fromUtf8(people[i][1]));
                iv.setAnswer(at + QStringLiteral("sex"), QString::fromUtf8(people[i][2]));
            }
            iv.setAnswer(QStringLiteral("person[3]/pension"), QStringLiteral("1234.5"));
            for (int c = 0; c < 2; ++c) {
                int end = -1;
                for (int p = 0; p < iv.pageCount(); ++p) {
                    if (iv.page(p).kind == Page::Kind::RepeatEnd && iv.page(p).repeat == form.groupIndexOf(QStringLiteral("car")))
                        end = p;
                }
                iv.setAnswer(iv.page(iv.addInstance(end)).keys[0], c == 0 ? QStringLiteral("Fiat") : QStringLiteral("Škoda"));
            }
            iv.setAnswer(QStringLiteral("car[2]/car_fuel"), QStringLiteral("diesel"));
            for (const QString &where : {QStringLiteral("Kraków"), QStringLiteral("Gdańsk, \"port\"")}) {
                int end = -1;
                for (int p = 0; p < iv.pageCount(); ++p) {
                    const Page &page = iv.page(p);
                    if (page.kind == Page::Kind::RepeatEnd && page.instance == QList<int>{2})
                        end = p;
                }
                iv.setAnswer(iv.page(iv.addInstance(end)).keys[0], where);
            }
            REQUIRE(iv.canFinalise());
            batch.responses.append(response(kUuid.arg(1), iv.finalAnswers()));
        }
        { // one person, no car
            Interview iv(form);
            iv.setAnswer(QStringLiteral("consent"), QStringLiteral("yes"));
            iv.setAnswer(QStringLiteral("hh_size"), QStringLiteral("1"));
            iv.setAnswer(QStringLiteral("person[1]/pname"), QStringLiteral("Zenon"));
            iv.setAnswer(QStringLiteral("person[1]/age"), QStringLiteral("33"));
            REQUIRE(iv.canFinalise());
            batch.responses.append(response(kUuid.arg(2), iv.finalAnswers()));
        }
        // Refused by the collector: past the count, no instance, a path the form lacks, a count too big.
        batch.responses.append(response(kUuid.arg(3), {{"consent", "yes"}, {"hh_size", "2"}, {"person", "2"},
                                                       {"person[3]/pname", "Ghost"}}));
        batch.responses.append(response(kUuid.arg(4), {{"consent", "yes"}, {"pname", "Nobody"}}));
        batch.responses.append(response(kUuid.arg(5), {{"consent", "yes"}, {"car[1]/trip[1]/make", "x"}}));
        batch.responses.append(response(kUuid.arg(6), {{"consent", "yes"}, {"car", "201"}}));
        for (int i = 0; i < batch.responses.size(); ++i)
            batch.paradata.append(QList<ParadataEvent>());
        // What the tablet logs: questions by key, and the instance counts it changed.
        for (const char *key : {"person[2]/age", "car", "car[2]/trip"})
            batch.paradata[0].append({kUuid.arg(1), batch.responses[0].meta.started, ParadataEvent::Kind::Changed,
                                      QLatin1String(key), {}});
        BatchHeader h;
        h.deviceId = QStringLiteral("dev-a");
        h.sequence = 1;
        h.created = published.addSecs(7200);
        const QList<const Form *> forms{&form};
        const QByteArray raw = BatchCodec::encode(h, batch, BatchCodec::typesFrom(forms));
        merged = store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("usb"), h.created);
    }
};

RosterDb &db()
{
    static RosterDb d;
    return d;
}

QString exportRoster(const QString &formats)
{
    static QList<std::shared_ptr<QTemporaryDir>> keep;
    keep.append(std::make_shared<QTemporaryDir>());
    const QString out = keep.last()->path();
    const ProcessResult r = runProcess(kerbsideBinary(), {QStringLiteral("export"), QStringLiteral("--db"), db().path,
                                                          QStringLiteral("--out"), out, QStringLiteral("--all"),
                                                          QStringLiteral("--format"), formats});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return out;
}

} // namespace

TEST_CASE("the collector keeps answers inside repeats and refuses keys that do not fit the form", "[export][repeat]")
{
    const MergeResult &m = db().merged;
    REQUIRE(m.responses.size() == 6);
    CHECK(m.responses[0].outcome == MergeOutcome::Accepted);
    CHECK(m.responses[1].outcome == MergeOutcome::Accepted);
    for (int i = 2; i < 6; ++i)
        CHECK(m.responses[i].outcome == MergeOutcome::Rejected);
    CHECK_THAT(m.responses[2].reason.toStdString(), Catch::Contains("lies in instance 3 of 'person', which has 2"));
    CHECK_THAT(m.responses[3].reason.toStdString(), Catch::Contains("inside a repeat"));
    CHECK_THAT(m.responses[3].reason.toStdString(), Catch::Contains("person[N]/pname"));
    CHECK_THAT(m.responses[4].reason.toStdString(), Catch::Contains("'make' is inside car, so its key is car[N]/make"));
    CHECK_THAT(m.responses[5].reason.toStdString(), Catch::Contains("instance count 'car' is '201', not 0 to 200"));
}

TEST_CASE("one CSV per repeat, linked by parent_uuid and _index, listed in the codebook", "[export][repeat]")
{
    const QString out = exportRoster(QStringLiteral("csv"));
    const QList<QHash<QString, QString>> main = csvRecords(pythonCsv(out + QStringLiteral("/household-roster.csv")));
    REQUIRE(main.size() == 2);
    CHECK(main[0].value(QStringLiteral("adults")) == QStringLiteral("2"));
    CHECK(main[0].value(QStringLiteral("total_age")) == QStringLiteral("122"));
    CHECK(main[0].value(QStringLiteral("names")) == QStringLiteral("Ala, Bartek, Celina"));
    CHECK(main[0].value(QStringLiteral("cars")) == QStringLiteral("2"));
    CHECK_FALSE(main[0].contains(QStringLiteral("pname"))); // in the person table
    CHECK(main[0].value(QStringLiteral("unmatched_answers")).isEmpty());

    const QList<QHash<QString, QString>> people = csvRecords(pythonCsv(out + QStringLiteral("/household-roster.person.csv")));
    REQUIRE(people.size() == 4);
    CHECK(people[0].value(QStringLiteral("parent_uuid")) == kUuid.arg(1));
    CHECK(people[0].value(QStringLiteral("_index")) == QStringLiteral("1"));
    CHECK(people[0].value(QStringLiteral("pname")) == QStringLiteral("Ala"));
    CHECK(people[2].value(QStringLiteral("_index")) == QStringLiteral("3"));
    CHECK(people[2].value(QStringLiteral("pension")) == QStringLiteral("1234.5"));
    CHECK(people[2].value(QStringLiteral("person_no")) == QStringLiteral("3"));
    CHECK(people[1].value(QStringLiteral("is_adult")) == QStringLiteral("0"));
    CHECK(people[3].value(QStringLiteral("parent_uuid")) == kUuid.arg(2));
    CHECK(people[3].value(QStringLiteral("pname")) == QStringLiteral("Zenon"));
    CHECK_FALSE(people[0].contains(QStringLiteral("_parent_index")));

    const QList<QHash<QString, QString>> cars = csvRecords(pythonCsv(out + QStringLiteral("/household-roster.car.csv")));
    REQUIRE(cars.size() == 2);
    CHECK(cars[1].value(QStringLiteral("make")) == QStringLiteral("Škoda"));
    CHECK(cars[1].value(QStringLiteral("car_fuel")) == QStringLiteral("diesel"));
    const QList<QHash<QString, QString>> trips = csvRecords(pythonCsv(out + QStringLiteral("/household-roster.trip.csv")));
    REQUIRE(trips.size() == 2);
    CHECK(trips[0].value(QStringLiteral("_parent_index")) == QStringLiteral("2"));
    CHECK(trips[1].value(QStringLiteral("_index")) == QStringLiteral("2"));
    CHECK(trips[1].value(QStringLiteral("destination")) == QStringLiteral("Gdańsk, \"port\""));

    const QString codebook = QString::fromUtf8(readAll(out + QStringLiteral("/codebook.md")));
    CHECK(codebook.contains(QStringLiteral("household-roster.person.csv")));
    CHECK(codebook.contains(QStringLiteral("household-roster.trip.csv")));
    CHECK(codebook.contains(QStringLiteral("parent_uuid")));
    CHECK(codebook.contains(QStringLiteral("Repeat group: one row per instance")));
}

TEST_CASE("repeat tables in .sav and .dta read back by PSPP, ReadStat and R haven", "[export][repeat]")
{
    const QString out = exportRoster(QStringLiteral("sav,dta"));
    const QString sav = out + QStringLiteral("/household-roster.person.sav");
    const QString syntax = QStringLiteral("GET FILE='%1'.\nDISPLAY DICTIONARY /VARIABLES=parent_uuid v_index age sex.\n"
                                          "LIST parent_uuid v_index pname age sex pension.\n").arg(sav);
    QFile f(out + QStringLiteral("/run.sps"));
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(syntax.toUtf8());
    f.close();
    const ProcessResult p = runProcess(QStringLiteral("pspp"), {QStringLiteral("-O"), QStringLiteral("format=csv"),
                                                                QStringLiteral("-o"), out + QStringLiteral("/listing.csv"),
                                                                out + QStringLiteral("/run.sps")});
    INFO(p.out.toStdString() << p.err.toStdString());
    REQUIRE(p.exitCode == 0);
    const QString listing = QString::fromUtf8(readAll(out + QStringLiteral("/listing.csv")));
    INFO(listing.toStdString());
    // sex: female 1, male 2, dk 3 (declared missing); pension only for the pensioner (-97 otherwise).
    CHECK(listing.contains(kUuid.arg(1) + QStringLiteral(",1,Ala,40,1,-97")));
    CHECK(listing.contains(kUuid.arg(1) + QStringLiteral(",3,Celina,70,3,1234.500")));
    CHECK(listing.contains(kUuid.arg(2) + QStringLiteral(",1,Zenon,33,-98,-97")));
    CHECK(listing.contains(QStringLiteral("Instance number (from 1)")));

    const ProcessResult conv = runProcess(QStringLiteral("readstat"), {out + QStringLiteral("/household-roster.trip.dta"),
                                                                       out + QStringLiteral("/trip.csv")});
    REQUIRE(conv.exitCode == 0);
    const QList<QHash<QString, QString>> trips = csvRecords(pythonCsv(out + QStringLiteral("/trip.csv")));
    REQUIRE(trips.size() == 2);
    CHECK(trips[0].value(QStringLiteral("parent_uuid")) == kUuid.arg(1));
    CHECK(trips[0].value(QStringLiteral("v_parent_index")) == QStringLiteral("2")); // Stata: no leading '_'
    CHECK(trips[0].value(QStringLiteral("destination")) == QStringLiteral("Kraków"));

    const QString r = QStandardPaths::findExecutable(QStringLiteral("Rscript"));
    REQUIRE_FALSE(r.isEmpty());
    const ProcessResult rr = runProcess(r, {QStringLiteral("-e"), QStringLiteral(
        "suppressMessages(library(haven)); p <- read_dta('%1'); m <- read_dta('%2');"
        "j <- merge(m, p, by.x='uuid', by.y='parent_uuid'); cat(nrow(j), sum(j$age), '\\n');"
        "cat(as.character(as_factor(p$sex)), sep=','); cat('\\n'); cat(na_tag(p$sex), sep=',')")
        .arg(out + QStringLiteral("/household-roster.person.dta"), out + QStringLiteral("/household-roster.dta"))});
    INFO(rr.err.toStdString());
    REQUIRE(rr.exitCode == 0);
    const QStringList lines = QString::fromUtf8(rr.out).split(QLatin1Char('\n'));
    REQUIRE(lines.size() >= 3);
    CHECK(lines[0].trimmed() == QStringLiteral("4 155"));
    CHECK(lines[1].startsWith(QStringLiteral("Female,Male,")));
    CHECK(lines[2] == QStringLiteral("NA,NA,d,b"));
}

TEST_CASE("Long layout (--long): the response's answers one per row, repeat keys typed; repeat tables stay wide", "[export][repeat]")
{
    static QTemporaryDir keep;
    const QString out = keep.path();
    const ProcessResult r = runProcess(kerbsideBinary(), {QStringLiteral("export"), QStringLiteral("--db"), db().path,
                                                          QStringLiteral("--out"), out, QStringLiteral("--all"),
                                                          QStringLiteral("--long"), QStringLiteral("--format"), QStringLiteral("csv")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QList<QHash<QString, QString>> rows = csvRecords(pythonCsv(out + QStringLiteral("/household-roster.long.csv")));
    QHash<QString, QString> typeOf;
    for (const auto &row : rows)
        typeOf.insert(row.value(QStringLiteral("question")), row.value(QStringLiteral("type")));
    CHECK(typeOf.value(QStringLiteral("person[2]/age")) == QStringLiteral("integer"));
    CHECK(typeOf.value(QStringLiteral("car[2]/trip[1]/destination")) == QStringLiteral("text"));
    CHECK(typeOf.value(QStringLiteral("car")) == QStringLiteral("repeat count"));
    CHECK(typeOf.value(QStringLiteral("hh_size")) == QStringLiteral("integer"));
    const QList<QHash<QString, QString>> people = csvRecords(pythonCsv(out + QStringLiteral("/household-roster.person.csv")));
    CHECK(people.size() == 4);
}
