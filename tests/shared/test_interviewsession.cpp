// SPDX-License-Identifier: Apache-2.0
// InterviewSession: every answer reaches the store before answer() returns, resume lands on
// the page last shown, paradata follows the fieldworker, finalise keeps only relevant answers.
#include "form/formloader.h"
#include "interview/interviewsession.h"
#include "testpaths.h"

#include <catch2/catch.hpp>

#include <QTemporaryDir>

using namespace kerbside;

namespace {

Form voxPop()
{
    FormLoadResult r = FormLoader::loadFile(kerbside::test::sourcePath("forms/community-contracts-voxpop.json"));
    REQUIRE(r.ok());
    return *r.form;
}

NewResponse meta()
{
    NewResponse m;
    m.caseStudy = QStringLiteral("cs1");
    m.enumerator = QStringLiteral("enum-7");
    m.deviceId = QStringLiteral("tab-1");
    return m;
}

QList<ParadataEvent::Kind> kinds(const QList<ParadataEvent> &events)
{
    QList<ParadataEvent::Kind> k;
    for (const ParadataEvent &e : events)
        k << e.kind;
    return k;
}

} // namespace

TEST_CASE("answers are in the store as soon as answer() returns; resume restores the page")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("device.db"));
    const Form form = voxPop();
    QString uuid;
    {
        auto store = DeviceStore::open(path);
        auto s = InterviewSession::start(*store, form, meta());
        uuid = s->uuid();
        CHECK(s->currentPage() == s->interview().firstPage());
        CHECK(s->answer(QStringLiteral("consent"), QStringLiteral("yes")).ok());
        CHECK(s->next().ok());
        // The screening page: both quota questions on one page.
        CHECK(s->interview().page(s->currentPage()).questions.size() == 2);
        CHECK(s->answer(QStringLiteral("age_band"), QStringLiteral("45_54")).ok());
        CHECK(s->answer(QStringLiteral("gender"), QStringLiteral("man")).ok());
        CHECK(s->next().ok());
        CHECK(s->answer(QStringLiteral("aware"), QStringLiteral("yes")).ok());
        CHECK(s->next().ok());
        CHECK(s->interview().page(s->currentPage()).questions.size() == 1);
        // Nothing is cached: a second connection sees the answers already.
        auto other = DeviceStore::open(path);
        const auto r = other->response(uuid);
        REQUIRE(r);
        CHECK(r->answers.value(QStringLiteral("aware")) == QStringLiteral("yes"));
        CHECK(r->meta.formId == form.id);
        CHECK(r->meta.formVersion == form.version);
        CHECK(r->meta.cursor == QStringLiteral("heard_how"));
    }
    auto store = DeviceStore::open(path);
    auto s = InterviewSession::resume(*store, form, uuid);
    CHECK(s->interview().form().questions[s->interview().page(s->currentPage()).questions.first()].name
          == QStringLiteral("heard_how"));
    CHECK(s->interview().answer(QStringLiteral("consent")) == QStringLiteral("yes"));
    CHECK(s->interview().isRelevant(QStringLiteral("heard_how")));
    const QList<ParadataEvent> events = store->paradata(uuid);
    CHECK(kinds(events).contains(ParadataEvent::Kind::Resumed));
    CHECK(kinds(events).count(ParadataEvent::Kind::Changed) == 4);
}

TEST_CASE("Next refuses an invalid page and stays; language switches are logged")
{
    QTemporaryDir dir;
    auto store = DeviceStore::open(dir.filePath(QStringLiteral("device.db")));
    const Form form = voxPop();
    auto s = InterviewSession::start(*store, form, meta());
    const int first = s->currentPage();
    const AnswerCheck blocked = s->next();
    CHECK(blocked.kind == AnswerCheck::Kind::Required);
    CHECK(s->currentPage() == first);
    s->setLanguage(QStringLiteral("pl"));
    CHECK(s->next().message != blocked.message); // now in Polish
    const QList<ParadataEvent> events = store->paradata(s->uuid());
    REQUIRE(kinds(events).contains(ParadataEvent::Kind::LanguageSwitched));
    for (const ParadataEvent &e : events) {
        if (e.kind == ParadataEvent::Kind::LanguageSwitched)
            CHECK(e.detail == QStringLiteral("pl"));
    }
    CHECK(store->response(s->uuid())->meta.language == QStringLiteral("pl"));
}

TEST_CASE("a refusal is finalised as refused with only its consent, and locked")
{
    QTemporaryDir dir;
    auto store = DeviceStore::open(dir.filePath(QStringLiteral("device.db")));
    const Form form = voxPop();
    auto s = InterviewSession::start(*store, form, meta());
    s->answer(QStringLiteral("consent"), QStringLiteral("no"));
    CHECK(s->atEnd());
    ResponseStatus status = ResponseStatus::Draft;
    CHECK(s->finalise(&status).isEmpty());
    CHECK(status == ResponseStatus::Refused);
    const auto r = store->response(s->uuid());
    REQUIRE(r);
    CHECK(r->meta.status == ResponseStatus::Refused);
    CHECK(r->answers.keys() == QStringList{QStringLiteral("consent")});
    CHECK(store->outboxSize() == 1);
    CHECK_THROWS_AS(store->setAnswer(s->uuid(), QStringLiteral("aware"), QStringLiteral("yes")), StoreError);
}

TEST_CASE("finalise refuses while answers are missing, then keeps only relevant answers")
{
    QTemporaryDir dir;
    auto store = DeviceStore::open(dir.filePath(QStringLiteral("device.db")));
    const Form form = voxPop();
    auto s = InterviewSession::start(*store, form, meta());
    s->answer(QStringLiteral("consent"), QStringLiteral("yes"));
    s->answer(QStringLiteral("aware"), QStringLiteral("yes"));
    s->answer(QStringLiteral("heard_how"), QStringLiteral("leaflet"));
    const QList<FinaliseIssue> issues = s->finalise();
    CHECK_FALSE(issues.isEmpty());
    CHECK(store->response(s->uuid())->meta.status == ResponseStatus::Draft);

    const QMap<QString, QString> rest{
        {"involved", "none"}, {"rate_drugs", "2"}, {"change_drugs", "better"}, {"rate_bins", "4"},
        {"change_bins", "same"}, {"rate_graffiti", "3"}, {"change_graffiti", "worse"},
        {"rate_streets", "dk"}, {"change_streets", "dk"}, {"influence", "2"},
        {"trust_council", "1"}, {"age_band", "35_44"}, {"gender", "man"}, {"tenure", "private"}};
    for (auto it = rest.cbegin(); it != rest.cend(); ++it)
        CHECK(s->answer(it.key(), it.value()).ok());
    s->answer(QStringLiteral("aware"), QStringLiteral("no")); // heard_how, involved: irrelevant
    ResponseStatus status = ResponseStatus::Draft;
    REQUIRE(s->finalise(&status).isEmpty());
    CHECK(status == ResponseStatus::Complete);
    const auto r = store->response(s->uuid());
    CHECK_FALSE(r->answers.contains(QStringLiteral("heard_how")));
    CHECK_FALSE(r->answers.contains(QStringLiteral("involved")));
    CHECK(r->answers.value(QStringLiteral("tenure")) == QStringLiteral("private"));
    CHECK(r->meta.ended.isValid());
    const OutboxBatch out = store->outbox();
    REQUIRE(out.responses.size() == 1);
    CHECK(out.responses.first().meta.uuid == s->uuid());
}

TEST_CASE("an interview broken off after consent is kept as partial; before consent it is discarded")
{
    QTemporaryDir dir;
    auto store = DeviceStore::open(dir.filePath(QStringLiteral("device.db")));
    const Form form = voxPop();
    auto s = InterviewSession::start(*store, form, meta());
    s->answer(QStringLiteral("consent"), QStringLiteral("yes"));
    s->answer(QStringLiteral("aware"), QStringLiteral("yes"));
    CHECK(s->discard() == ResponseStatus::Partial);
    const auto r = store->response(s->uuid());
    REQUIRE(r);
    CHECK(r->meta.status == ResponseStatus::Partial);
    CHECK(r->meta.ended.isValid());
    CHECK(r->answers.value(QStringLiteral("aware")) == QStringLiteral("yes"));
    // In the outbox, so it reaches the collector and counts in the outcome rates.
    const OutboxBatch box = store->outbox(10);
    REQUIRE(box.responses.size() == 1);
    CHECK(box.responses.first().meta.status == ResponseStatus::Partial);
    store->acknowledge({s->uuid()}, {});
    CHECK(store->outboxSize() == 0);

    auto before = InterviewSession::start(*store, form, meta());
    CHECK(before->discard() == ResponseStatus::Discarded);
    CHECK(store->response(before->uuid())->meta.status == ResponseStatus::Discarded);
    CHECK(store->outboxSize() == 0);
}

TEST_CASE("an interview screened out on a full quota cell is kept as screened_out with its answers")
{
    QTemporaryDir dir;
    auto store = DeviceStore::open(dir.filePath(QStringLiteral("device.db")));
    const Form form = voxPop();
    auto s = InterviewSession::start(*store, form, meta());
    s->answer(QStringLiteral("consent"), QStringLiteral("yes"));
    s->answer(QStringLiteral("age_band"), QStringLiteral("55_64"));
    s->answer(QStringLiteral("gender"), QStringLiteral("woman"));
    s->screenOut();
    const auto r = store->response(s->uuid());
    REQUIRE(r);
    CHECK(r->meta.status == ResponseStatus::ScreenedOut);
    CHECK(r->meta.ended.isValid());
    CHECK(r->answers.value(QStringLiteral("age_band")) == QStringLiteral("55_64"));
    CHECK(r->answers.value(QStringLiteral("gender")) == QStringLiteral("woman"));
    // Locked like any finalised response, and on its way to the collector.
    CHECK_THROWS_AS(store->setAnswer(s->uuid(), QStringLiteral("tenure"), QStringLiteral("private")), StoreError);
    const OutboxBatch box = store->outbox(10);
    REQUIRE(box.responses.size() == 1);
    CHECK(box.responses.first().meta.status == ResponseStatus::ScreenedOut);
    CHECK(store->responses({ResponseStatus::ScreenedOut}).size() == 1);
}
