// SPDX-License-Identifier: Apache-2.0
// The dashboard's JSON API through Dashboard::handle() (the transport-neutral entry the HTTP
// routes call) over a real store on both backends: quotas on the overview and the case study
// (most needed first), the area (points inside / outside, per fieldworker, the interviews
// filter), time slots, per-question times from paradata, the AAPOR rates of the exports,
// tablet versions, export jobs with progress, and the security headers on every answer.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "collectorstore.h"
#include "credentials.h"
#include "dashboard.h"
#include "exportjobs.h"
#include "outcomerates.h"
#include "passwords.h"
#include "postgrestestdb.h"
#include "questiontimes.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>

using namespace kerbside;
using namespace kerbside::dashboard;
using namespace kerbside::test;

namespace {

// The area's southern half: the sample responses step north by 1e-6 degrees from 51.529688,
// so responses 0-4 are inside and 5-9 outside.
const QByteArray kArea = R"({"type": "Polygon", "coordinates": [[[-2.7, 51.5], [-2.5, 51.5], [-2.5, 51.5296925],
                                                                [-2.7, 51.5296925], [-2.7, 51.5]]]})";

struct Api
{
    QTemporaryDir dir;
    TestCollectorDb db;
    std::unique_ptr<CollectorStore> store;
    std::unique_ptr<Dashboard> board;
    QByteArray cookie, csrf;
    OutboxBatch batch = voxpopBatch(10, 2);

    explicit Api(const std::string &backend) : db(backend, dir.path()), store(openCollectorStore(db.location()))
    {
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        publishVoxpop(*store, {QStringLiteral("leeds")});
        store->setCaseStudyArea(QStringLiteral("leeds"), kArea, QStringLiteral("area.geojson"));
        // Paradata: one question per page; responses 0-4 take 1 s a question, 5-9 take 10 s.
        for (int i = 0; i < batch.responses.size(); ++i) {
            const ResponseMeta &m = batch.responses[i].meta;
            QList<ParadataEvent> events;
            const int step = i < 5 ? 1000 : 10000;
            const char *questions[] = {"consent", "age_band", "gender", "neighbourhood"};
            for (int q = 0; q < 4; ++q)
                events.append({m.uuid, m.started.addMSecs(q * step), ParadataEvent::Kind::Shown, QString::fromLatin1(questions[q]), {}});
            if (i == 2 || i == 3) { // answers changed: response 2 three times, response 3 once
                for (int c = 0; c < (i == 2 ? 3 : 1); ++c)
                    events.append({m.uuid, m.started.addMSecs(3 * step + c), ParadataEvent::Kind::Changed, QStringLiteral("gender"), {}});
            }
            events.append({m.uuid, m.started.addMSecs(4 * step), ParadataEvent::Kind::Finalised, {}, {}});
            batch.paradata.append(events);
        }
        batch.responses[9].meta.status = ResponseStatus::Refused;
        const BatchHeader h = header(QStringLiteral("dev-test"), 1);
        const QByteArray raw = BatchCodec::encode(h, batch, voxpopTypes());
        const MergeResult merged = store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        REQUIRE(merged.count(MergeOutcome::Accepted) == 12);
        quota::Plan plan;
        plan.caseStudy = QStringLiteral("leeds");
        plan.formId = QStringLiteral("voxpop_council");
        plan.dimensions = {{QStringLiteral("gender"), {QStringLiteral("man"), QStringLiteral("woman")}}};
        plan.targets = {{QStringLiteral("gender=man"), 4}, {QStringLiteral("gender=woman"), 20}};
        store->setQuotaPlan(plan);
        DashboardUser u{QStringLiteral("ann"), QStringLiteral("coordinator"), {}, passwords::hash(QStringLiteral("a long passphrase")),
                        false, false, QDateTime::currentDateTimeUtc()};
        store->addUser(u);
        board = std::make_unique<Dashboard>(*store, DashboardOptions{});
        WebRequest login{QStringLiteral("POST"), QStringLiteral("/api/v1/login"), {}, {},
                         R"({"name": "ann", "password": "a long passphrase"})", QStringLiteral("127.0.0.1"), false};
        const WebResponse r = board->handle(login);
        REQUIRE(r.status == 200);
        for (const auto &[k, v] : r.headers) {
            if (k == "Set-Cookie")
                cookie = v.split(';').first();
        }
        csrf = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("csrf")).toString().toLatin1();
    }
    WebResponse call(const QString &method, const QString &path, const QMap<QString, QString> &query = {})
    {
        WebRequest w{method, path, query, {{"cookie", cookie}, {"x-kerbside-csrf", csrf}}, "{}", QStringLiteral("127.0.0.1"), false};
        return board->handle(w);
    }
    QJsonObject get(const QString &path, const QMap<QString, QString> &query = {})
    {
        const WebResponse r = call(QStringLiteral("GET"), path, query);
        INFO(path.toStdString() << ": " << r.body.toStdString());
        REQUIRE(r.status == 200);
        return QJsonDocument::fromJson(r.body).object();
    }
    QStringList uuids(int from, int to) const
    {
        QStringList out;
        for (int i = from; i <= to; ++i)
            out.append(batch.responses[i].meta.uuid);
        out.sort();
        return out;
    }
};

QStringList uuidsOf(const QJsonObject &list)
{
    QStringList out;
    for (const QJsonValue &v : list.value(QStringLiteral("interviews")).toArray())
        out.append(v.toObject().value(QStringLiteral("uuid")).toString());
    out.sort();
    return out;
}

} // namespace

TEST_CASE("per-question times split each page's time over its questions", "[web]")
{
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000LL, Qt::UTC);
    InterviewPaging p{QStringLiteral("u"), QStringLiteral("e"), t0.addSecs(60), {}};
    CHECK(std::isnan(medianQuestionSeconds(p)));
    // A page of two questions for 10 s, one of one question for 3 s, then the first page again for 4 s.
    p.events = {{t0, QStringLiteral("shown"), QStringLiteral("a"), {}}, {t0, QStringLiteral("shown"), QStringLiteral("b"), {}},
                {t0.addSecs(10), QStringLiteral("shown"), QStringLiteral("c"), {}},
                {t0.addSecs(13), QStringLiteral("shown"), QStringLiteral("a"), {}}, {t0.addSecs(13), QStringLiteral("shown"), QStringLiteral("b"), {}},
                {t0.addSecs(17), QStringLiteral("finalised"), {}, {}}};
    CHECK(medianQuestionSeconds(p) == Approx(7.0)); // a = b = 5 + 2, c = 3
    p.events.removeLast(); // no "finalised": the last page runs to the end
    CHECK(medianQuestionSeconds(p) == Approx(5.0 + 47.0 / 2));          // a = b = 5 + 23.5, c = 3
}

TEST_CASE("export progress runs over the passes and ends at 1", "[web]")
{
    ExportProgress p;
    p.expectedRows = 100;
    p.passes = 2;
    p.phase = QStringLiteral("measuring");
    p.rows = 50;
    CHECK(p.fraction() == Approx(0.95 * 0.25));
    p.phase = QStringLiteral("writing");
    CHECK(p.fraction() == Approx(0.95 * 0.75));
    p.rows = 500; // more than counted (interviews arrived meanwhile): never 100 % early
    CHECK(p.fraction() < 0.95);
    p.state = QStringLiteral("done");
    CHECK(p.fraction() == 1.0);
}

TEST_CASE("the dashboard API shows quotas, areas, time slots, per-question times and AAPOR rates", "[web][sync]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Api a(backend);

    // Overview: target from the quotas, cells most needed first, the exports' AAPOR rates.
    const QJsonObject cs = a.get(QStringLiteral("/api/v1/overview")).value(QStringLiteral("caseStudies")).toArray().first().toObject();
    CHECK(cs.value(QStringLiteral("target")).toInt() == 24);
    const QJsonArray cells = cs.value(QStringLiteral("quota")).toObject().value(QStringLiteral("cells")).toArray();
    REQUIRE(cells.size() == 2);
    CHECK(cells[0].toObject().value(QStringLiteral("cell")).toString() == QStringLiteral("gender=woman")); // 20 - 4 completes
    CHECK(cells[0].toObject().value(QStringLiteral("remaining")).toInt() == 16);
    CHECK(cells[0].toObject().value(QStringLiteral("label")).toString() != QStringLiteral("gender=woman")); // the choice label
    CHECK(cells[1].toObject().value(QStringLiteral("achieved")).toInt() == 5);
    CHECK(cells[1].toObject().value(QStringLiteral("remaining")).toInt() == 0);
    OutcomeCounts expected;
    for (const Response &r : a.batch.responses)
        addOutcome(&expected, r.meta.status);
    for (const ContactEntry &c : a.batch.contacts)
        addOutcome(&expected, c.disposition);
    CHECK(cs.value(QStringLiteral("rr5")).toDouble() == Approx(expected.rr5()));
    CHECK(cs.value(QStringLiteral("coop1")).toDouble() == Approx(expected.coop1()));
    CHECK(cs.value(QStringLiteral("refused")).toInt() == 3);
    CHECK_FALSE(cs.contains(QStringLiteral("rr1")));

    // Case study: the area, where the interviews were, time slots, the quota table.
    const QJsonObject c = a.get(QStringLiteral("/api/v1/casestudies/leeds"));
    CHECK(c.value(QStringLiteral("area")).toObject().value(QStringLiteral("geojson")).toObject().value(QStringLiteral("type")).toString()
          == QStringLiteral("Polygon"));
    CHECK(c.value(QStringLiteral("places")).toObject().value(QStringLiteral("inside")).toInt() == 5);
    CHECK(c.value(QStringLiteral("places")).toObject().value(QStringLiteral("outside")).toInt() == 5);
    CHECK(c.value(QStringLiteral("quota")).toObject().value(QStringLiteral("totalRemaining")).toInt() == 16);
    qint64 slotted = 0;
    for (const QJsonValue &s : c.value(QStringLiteral("timeSlots")).toObject().value(QStringLiteral("slots")).toArray())
        slotted += s.toObject().value(QStringLiteral("complete")).toInt() + s.toObject().value(QStringLiteral("refused")).toInt();
    CHECK(slotted == 10);

    // The map's points carry where they were.
    const QJsonObject map = a.get(QStringLiteral("/api/v1/casestudies/leeds/map"),
                                  {{QStringLiteral("bbox"), QStringLiteral("51.5,-2.7,51.6,-2.5")}, {QStringLiteral("zoom"), QStringLiteral("16")}});
    QMap<QString, int> places;
    for (const QJsonValue &p : map.value(QStringLiteral("points")).toArray())
        ++places[p.toArray()[5].toString()];
    CHECK(places.value(QStringLiteral("inside")) == 5);
    CHECK(places.value(QStringLiteral("outside")) == 5);

    // Fieldworkers: outside the area and too fast per question, each with the interviews behind it.
    const QJsonObject fw = a.get(QStringLiteral("/api/v1/fieldworkers")).value(QStringLiteral("fieldworkers")).toArray().first().toObject();
    CHECK(fw.value(QStringLiteral("outsideArea")).toInt() == 5);
    CHECK(fw.value(QStringLiteral("fastQuestions")).toInt() == 5);
    CHECK(fw.value(QStringLiteral("questionMedianSeconds")).toDouble() == Approx(10.0).margin(0.05)); // to its 0.1 s bucket
    CHECK(uuidsOf(a.get(QStringLiteral("/api/v1/interviews"), {{QStringLiteral("flag"), QStringLiteral("outside_area")}})) == a.uuids(5, 9));
    CHECK(uuidsOf(a.get(QStringLiteral("/api/v1/interviews"), {{QStringLiteral("flag"), QStringLiteral("fast_questions")}})) == a.uuids(0, 4));
    CHECK(uuidsOf(a.get(QStringLiteral("/api/v1/interviews"), {{QStringLiteral("flag"), QStringLiteral("fast_questions")},
                                                               {QStringLiteral("questionSeconds"), QStringLiteral("20")}})) == a.uuids(0, 9));
    CHECK(uuidsOf(a.get(QStringLiteral("/api/v1/interviews"), {{QStringLiteral("flag"), QStringLiteral("outside_area")},
                                                               {QStringLiteral("offset"), QStringLiteral("3")}})).size() == 2);
    CHECK(a.call(QStringLiteral("GET"), QStringLiteral("/api/v1/interviews"), {{QStringLiteral("flag"), QStringLiteral("nonsense")}}).status == 400);
    // Each listed interview says where it was, as judged at merge (response_flags).
    QMap<QString, int> listedPlaces;
    for (const QJsonValue &i : a.get(QStringLiteral("/api/v1/interviews")).value(QStringLiteral("interviews")).toArray())
        ++listedPlaces[i.toObject().value(QStringLiteral("place")).toString()];
    CHECK(listedPlaces.value(QStringLiteral("inside")) == 5);
    CHECK(listedPlaces.value(QStringLiteral("outside")) == 5);
    // Answers changed often: more "changed" paradata than the threshold, as the counters say.
    auto changedMoreThan = [&](const char *n) {
        return uuidsOf(a.get(QStringLiteral("/api/v1/interviews"), {{QStringLiteral("flag"), QStringLiteral("many_changes")},
                                                                    {QStringLiteral("manyChanges"), QString::fromLatin1(n)}}));
    };
    CHECK(changedMoreThan("2") == a.uuids(2, 2));
    CHECK(changedMoreThan("1") == a.uuids(2, 2));
    CHECK(changedMoreThan("3").isEmpty());
    auto counted = [&](const char *n) {
        qint64 sum = 0;
        for (const QJsonValue &f : a.get(QStringLiteral("/api/v1/fieldworkers"), {{QStringLiteral("manyChanges"), QString::fromLatin1(n)}})
                                       .value(QStringLiteral("fieldworkers")).toArray())
            sum += f.toObject().value(QStringLiteral("manyChanges")).toInteger();
        return sum;
    };
    CHECK(counted("1") == 1);
    CHECK(counted("3") == 0);
    // Every sample has a fix: nothing behind the no-fix flag.
    CHECK(uuidsOf(a.get(QStringLiteral("/api/v1/interviews"), {{QStringLiteral("flag"), QStringLiteral("no_fix")}})).isEmpty());

    // Tablets: the app version of the newest batch and the form versions used (the page's
    // rows are the enrolled devices; the browser test shows them).
    const QList<DeviceVersions> versions = a.store->deviceVersions();
    REQUIRE(versions.size() == 1);
    CHECK(versions.first().deviceId == QStringLiteral("dev-test"));
    CHECK(versions.first().appVersion == QStringLiteral("test"));
    CHECK(versions.first().forms == QStringList{QStringLiteral("voxpop_council 2026112401")});
    CHECK(versions.first().pending == 0);
    CHECK_FALSE(versions.first().reported.isValid());
    // The tablet's report after a sync: one complete merged meanwhile, one still on the tablet.
    EnrolmentCodeRecord code{Credentials::hash(QStringLiteral("CODE")), QStringLiteral("leeds"), QDateTime::currentDateTimeUtc(), {}};
    code.expires = code.created.addSecs(3600);
    a.store->addEnrolmentCode(code);
    a.store->redeemEnrolmentCode(code.codeHash, QDateTime::currentDateTimeUtc(), QStringLiteral("dev-report"),
                                 Credentials::hash(QStringLiteral("token")), QStringLiteral("tablet 7"));
    a.store->recordDeviceReport(QStringLiteral("dev-report"),
                                {{a.batch.responses[0].meta.uuid, QStringLiteral("leeds"), QStringLiteral("gender=man")},
                                 {QStringLiteral("0b7e4c3a-5d6f-4e1a-9b2c-3d4e5f6a7b8c"), QStringLiteral("leeds"), QStringLiteral("gender=man")}});
    QJsonObject reported;
    for (const QJsonValue &d : a.get(QStringLiteral("/api/v1/devices")).value(QStringLiteral("devices")).toArray()) {
        if (d.toObject().value(QStringLiteral("id")).toString() == QLatin1String("dev-report"))
            reported = d.toObject();
    }
    CHECK(reported.value(QStringLiteral("pending")).toInteger() == 1);
    CHECK(reported.value(QStringLiteral("pendingReported")).isString());
    // No conflict resolved yet: the list of resolutions is there, empty.
    const QJsonObject conflicts = a.get(QStringLiteral("/api/v1/conflicts"));
    CHECK(conflicts.value(QStringLiteral("resolved")).isArray());
    CHECK(conflicts.value(QStringLiteral("resolved")).toArray().isEmpty());

    // An export job: progress, then the zip.
    const WebResponse started = a.call(QStringLiteral("POST"), QStringLiteral("/api/v1/exports"),
                                       {{QStringLiteral("caseStudy"), QStringLiteral("leeds")}, {QStringLiteral("format"), QStringLiteral("csv,sav")}});
    REQUIRE(started.status == 202);
    const QString id = QJsonDocument::fromJson(started.body).object().value(QStringLiteral("id")).toString();
    CHECK(QJsonDocument::fromJson(started.body).object().value(QStringLiteral("expectedRows")).toInt() == 10);
    QJsonObject job;
    for (int i = 0; i < 600; ++i) {
        job = a.get(QStringLiteral("/api/v1/exports/") + id);
        if (job.value(QStringLiteral("state")).toString() != QLatin1String("running")
            && job.value(QStringLiteral("state")).toString() != QLatin1String("zipping"))
            break;
        QThread::msleep(50);
    }
    INFO(QJsonDocument(job).toJson().toStdString());
    REQUIRE(job.value(QStringLiteral("state")).toString() == QStringLiteral("done"));
    CHECK(job.value(QStringLiteral("fraction")).toDouble() == 1.0);
    const WebResponse zip = a.call(QStringLiteral("GET"), QStringLiteral("/api/v1/exports/") + id + QStringLiteral("/zip"));
    REQUIRE(zip.stream);
    QByteArray bytes;
    CHECK(zip.stream([&](const QByteArray &piece) { bytes += piece; return true; }));
    CHECK(bytes.startsWith("PK"));
    CHECK(bytes.size() == job.value(QStringLiteral("zipBytes")).toInteger());

    // Someone else's job is not there; every answer, refusals too, carries the headers.
    const WebResponse none = a.call(QStringLiteral("GET"), QStringLiteral("/api/v1/exports/") + QString(32, QLatin1Char('0')));
    CHECK(none.status == 404);
    QMap<QByteArray, QByteArray> h;
    for (const auto &[k, v] : none.headers)
        h.insert(k, v);
    CHECK(h.value("Content-Security-Policy").contains("default-src 'self'"));
    CHECK(h.value("Content-Security-Policy").contains("frame-ancestors 'none'"));
    CHECK(h.value("X-Content-Type-Options") == "nosniff");
}

TEST_CASE("a form uploaded with an attachment missing at import is refused for publishing, naming the file", "[web]")
{
    Api a("sqlite");
    auto upload = [&](const QByteArray &json) {
        WebRequest w{QStringLiteral("POST"), QStringLiteral("/api/v1/forms"),
                     {{QStringLiteral("filename"), QStringLiteral("regions.json")}, {QStringLiteral("publish"), QStringLiteral("leeds")}},
                     {{"cookie", a.cookie}, {"x-kerbside-csrf", a.csrf}}, json, QStringLiteral("127.0.0.1"), false};
        return a.board->handle(w);
    };
    const QByteArray head = R"({"format": "kerbside-form/1", "id": "regions", "version": "1", "title": {"en": "Regions"},
        "default_language": "en", "languages": ["en"],
        "questions": [{"name": "r", "type": "select_one", "label": {"en": "Region"}, "choices": "regions_csv"}],)";
    WebResponse r = upload(head + R"("choices": {"regions_csv": []}, "missing_attachments": {"regions.csv": "regions_csv"}})");
    INFO(r.body.toStdString());
    CHECK(r.status == 422);
    const QJsonObject body = QJsonDocument::fromJson(r.body).object();
    CHECK(body.value(QStringLiteral("stored")) == false);
    CHECK(body.value(QStringLiteral("problems")).toArray().first().toObject().value(QStringLiteral("message")).toString()
          == QStringLiteral("the form needs its attachment 'regions.csv', missing at import: import the workbook again "
                            "with `kerbside form import FORM.xlsx --attachment regions.csv`, then publish"));
    CHECK(a.get(QStringLiteral("/api/v1/forms")).value(QStringLiteral("forms")).toArray().size() == 1); // the vox pop only
    r = upload(head + R"("choices": {"regions_csv": [{"name": "n", "label": {"en": "North"}}]}})");
    CHECK(r.status == 200);
    CHECK(a.get(QStringLiteral("/api/v1/forms")).value(QStringLiteral("forms")).toArray().size() == 2);
}

TEST_CASE("a session ends after its idle time, at logout, and when its user is disabled", "[web]")
{
    Api a("sqlite");
    const QString hash = passwords::secretHash(QString::fromLatin1(a.cookie.mid(a.cookie.indexOf('=') + 1)));
    REQUIRE(a.call(QStringLiteral("GET"), QStringLiteral("/api/v1/session")).status == 200);

    // Unused for longer than the idle expiry (30 minutes by default): gone, and deleted.
    a.store->touchSession(hash, QDateTime::currentDateTimeUtc().addSecs(-31 * 60));
    CHECK(a.call(QStringLiteral("GET"), QStringLiteral("/api/v1/overview")).status == 401);
    CHECK_FALSE(a.store->session(hash).has_value());

    // Just under it: still valid, and the use counts as activity.
    auto signIn = [&] {
        WebRequest login{QStringLiteral("POST"), QStringLiteral("/api/v1/login"), {}, {},
                         R"({"name": "ann", "password": "a long passphrase"})", QStringLiteral("127.0.0.1"), false};
        const WebResponse r = a.board->handle(login);
        REQUIRE(r.status == 200);
        for (const auto &[k, v] : r.headers) {
            if (k == "Set-Cookie")
                a.cookie = v.split(';').first();
        }
        a.csrf = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("csrf")).toString().toLatin1();
        return passwords::secretHash(QString::fromLatin1(a.cookie.mid(a.cookie.indexOf('=') + 1)));
    };
    QString again = signIn();
    a.store->touchSession(again, QDateTime::currentDateTimeUtc().addSecs(-29 * 60));
    CHECK(a.call(QStringLiteral("GET"), QStringLiteral("/api/v1/overview")).status == 200);
    REQUIRE(a.store->session(again).has_value());
    CHECK(a.store->session(again)->lastSeen.secsTo(QDateTime::currentDateTimeUtc()) < 60);

    // Logout (a change: it needs the CSRF token) ends it.
    WebRequest noToken{QStringLiteral("POST"), QStringLiteral("/api/v1/logout"), {}, {{"cookie", a.cookie}}, "{}",
                       QStringLiteral("127.0.0.1"), false};
    CHECK(a.board->handle(noToken).status == 403);
    CHECK(a.call(QStringLiteral("POST"), QStringLiteral("/api/v1/logout")).status == 200);
    CHECK(a.call(QStringLiteral("GET"), QStringLiteral("/api/v1/overview")).status == 401);
    CHECK_FALSE(a.store->session(again).has_value());

    // A disabled user's session no longer opens anything.
    again = signIn();
    DashboardUser u = *a.store->user(QStringLiteral("ann"));
    u.disabled = true;
    a.store->updateUser(u);
    CHECK(a.call(QStringLiteral("GET"), QStringLiteral("/api/v1/overview")).status == 401);
}
