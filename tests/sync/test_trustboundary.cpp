// SPDX-License-Identifier: Apache-2.0
// The collector's trust boundary (issue 10): every attack an enrolled device could make with
// hand-made protobuf bytes, each refused per item while the rest of its batch merges.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "batchfile.h"
#include "collectorprocess.h"
#include "credentials.h"
#include "kerbside/v1/sync.pb.h"
#include "postgrestestdb.h"
#include "sqlitecollectorstore.h"
#include "syncsamples.h"
#include "voxpopform.h"
#include "format1packs.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QUuid>

#include <sqlite3.h>

#include <cmath>
#include <functional>
#include <limits>

using namespace kerbside;
using namespace kerbside::test;

namespace {

constexpr qint64 kInt64Max = std::numeric_limits<qint64>::max();
constexpr qint64 kInt64Min = std::numeric_limits<qint64>::min();

struct Fixture
{
    QTemporaryDir dir;
    TestCollectorDb db;
    QString path = db.location();
    std::unique_ptr<CollectorStore> store = openCollectorStore(path);
    explicit Fixture(const std::string &backend) : db(backend, dir.path())
    {
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        store->addCaseStudy(QStringLiteral("york"), QStringLiteral("York"));
        publishVoxpop(*store, {QStringLiteral("leeds"), QStringLiteral("york")});
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const char *id : {"dev-a", "dev-c", "dev-new"}) {
            const QString code = QStringLiteral("code-") + QLatin1String(id);
            store->addEnrolmentCode({Credentials::hash(code), QStringLiteral("leeds"), now, now.addDays(1)});
            store->redeemEnrolmentCode(Credentials::hash(code), now, QLatin1String(id),
                                       Credentials::hash(QStringLiteral("token-") + QLatin1String(id)), {});
        }
    }
    MergeResult mergeRaw(const QByteArray &raw)
    {
        MergeResult r = store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        for (const ItemResult &i : r.responses + r.contacts)
            UNSCOPED_INFO("item " << i.uuid.toStdString() << ": " << i.reason.toStdString());
        return r;
    }
    MergeResult merge(const OutboxBatch &outbox, const QString &device = QStringLiteral("dev-a"), quint64 sequence = 1)
    {
        return mergeRaw(BatchCodec::encode(header(device, sequence), outbox, voxpopTypes()));
    }
    qint64 responses() { return store->responseCount(); }
};

// The batch as protobuf, changed by `change`, with its item count kept right.
QByteArray mutated(const QByteArray &raw, const std::function<void(v1::Batch &)> &change)
{
    v1::Batch m;
    REQUIRE(m.ParseFromArray(raw.constData(), int(raw.size())));
    change(m);
    m.set_item_count(quint32(m.responses_size() + m.contacts_size()));
    return QByteArray::fromStdString(m.SerializeAsString());
}

quint32 addString(v1::Batch &m, const std::string &s)
{
    m.add_strings(s);
    return quint32(m.strings_size());
}

// Response 1 of the batch sent with its UUID as uuid_text, spelled by `spell`.
void setUuidText(v1::Batch &m, const std::function<QString(const QString &)> &spell)
{
    auto *r = m.mutable_responses(1);
    const QString text = QUuid::fromRfc4122(QByteArray::fromStdString(r->uuid())).toString(QUuid::WithoutBraces);
    r->clear_uuid();
    r->set_uuid_text(spell(text).toStdString());
}

struct Attack
{
    const char *name;
    std::function<void(v1::Batch &)> change; // on response 1 (or contact 1) of two
    const char *reason;                      // a part of the refusal's reason: the field
    bool contact = false;
};

const std::vector<Attack> &attacks()
{
    static const std::vector<Attack> all = {
        {"an unknown form id",
         [](v1::Batch &m) {
             auto *f = m.add_forms();
             f->set_id("no_such_form");
             f->set_version("1");
             m.mutable_responses(1)->set_form(quint32(m.forms_size() - 1));
         },
         "form no_such_form version 1 is not published to case study leeds"},
        {"an unpublished version",
         [](v1::Batch &m) {
             auto *f = m.add_forms();
             f->set_id("voxpop_council");
             f->set_version("2099010101");
             m.mutable_responses(1)->set_form(quint32(m.forms_size() - 1));
         },
         "version 2099010101 is not published"},
        {"a form id that is a path",
         [](v1::Batch &m) {
             auto *f = m.add_forms();
             f->set_id("/tmp/kerbside-evil");
             f->set_version("1");
             m.mutable_responses(1)->set_form(quint32(m.forms_size() - 1));
         },
         "is not published"},
        {"a question not in the form",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_text_questions(addString(m, "no_such_question"));
             r->add_text_values("x");
         },
         "'no_such_question', which is not a question of form voxpop_council"},
        {"a choice not in its list",
         [](v1::Batch &m) { m.mutable_responses(1)->set_choice_values(0, addString(m, "not_a_choice")); },
         "is not a choice of list"},
        {"an answer of the wrong type",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_integer_questions(addString(m, "free_text"));
             r->add_integer_values(7);
         },
         "answer to 'free_text' sent as integer, but the question is text"},
        {"text that is not a number for an integer question",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_text_questions(addString(m, "spend"));
             r->add_text_values("lots");
         },
         "answer to 'spend' (decimal) is not a finite decimal number"},
        {"a NaN decimal",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_decimal_questions(addString(m, "spend"));
             r->add_decimal_values(std::nan(""));
         },
         "decimal answer to 'spend': not a finite number"},
        {"an infinite latitude",
         [](v1::Batch &m) { m.mutable_responses(1)->mutable_location()->set_latitude(INFINITY); },
         "location: latitude is not a number in -90..90"},
        {"latitude 1000",
         [](v1::Batch &m) { m.mutable_responses(1)->mutable_location()->set_latitude(1000); },
         "location: latitude is not a number in -90..90"},
        {"longitude -500", [](v1::Batch &m) { m.mutable_responses(1)->mutable_location()->set_longitude(-500); },
         "location: longitude is not a number in -180..180"},
        {"negative accuracy", [](v1::Batch &m) { m.mutable_responses(1)->mutable_location()->set_accuracy(-1); },
         "location: accuracy is not a number of metres in 0..10000000"},
        {"a geopoint answer at latitude 1000",
         [](v1::Batch &m) {
             auto *g = m.mutable_responses(1)->mutable_geopoints(0);
             g->set_latitude(1000);
         },
         "geopoint answer to 'location': latitude is not a number in -90..90"},
        {"a start time of INT64_MIN", [](v1::Batch &m) { m.mutable_responses(1)->set_started_ms(kInt64Min); },
         "started_ms: the time is outside 2000-01-01..2100-01-01"},
        {"a start time of INT64_MAX", [](v1::Batch &m) { m.mutable_responses(1)->set_started_ms(kInt64Max); },
         "started_ms: the time is outside"},
        {"a start in the year 300000",
         [](v1::Batch &m) { m.mutable_responses(1)->set_started_ms(qint64(300000 - 1970) * 31556952000LL); },
         "started_ms: the time is outside"},
        {"an end time whose arithmetic overflows",
         [](v1::Batch &m) { m.mutable_responses(1)->set_ended_after_ms(kInt64Max); },
         "ended_after_ms: the time overflows when added to its reference time"},
        {"an update time before 2000",
         [](v1::Batch &m) { m.mutable_responses(1)->set_updated_after_ms(-m.responses(1).started_ms()); },
         "updated_after_ms: the time is outside"},
        {"a location time that overflows",
         [](v1::Batch &m) { m.mutable_responses(1)->mutable_location()->set_time_after_ms(kInt64Max); },
         "location: the time overflows"},
        {"a date of -2^31 days",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_date_questions(addString(m, "visit_date"));
             r->add_date_values(std::numeric_limits<qint32>::min());
         },
         "date answer to 'visit_date': the date is outside the years 1..9999"},
        {"a time past midnight",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_time_questions(addString(m, "visit_time"));
             r->add_time_values(86400000);
         },
         "time answer to 'visit_time': the time is past midnight"},
        {"a datetime offset of a day",
         [](v1::Batch &m) {
             auto *a = m.mutable_responses(1)->add_datetimes();
             a->set_question(addString(m, "visit_at"));
             a->set_utc_ms(1793324562498);
             a->set_offset_s(86400);
         },
         "datetime answer to 'visit_at': the offset from UTC is over 18 hours"},
        {"a datetime in the year 300000",
         [](v1::Batch &m) {
             auto *a = m.mutable_responses(1)->add_datetimes();
             a->set_question(addString(m, "visit_at"));
             a->set_utc_ms(qint64(300000 - 1970) * 31556952000LL);
         },
         "datetime answer to 'visit_at'"},
        {"a paradata time that overflows",
         [](v1::Batch &m) {
             auto *p = m.mutable_responses(1)->add_paradata();
             p->set_time_after_ms(kInt64Max);
             p->set_kind(v1::PARADATA_KIND_SHOWN);
         },
         "paradata 0: the time after the start is out of range"},
        {"a start offset from UTC of 15 hours",
         [](v1::Batch &m) { m.mutable_responses(1)->set_started_utc_offset_s(15 * 3600); },
         "started_utc_offset_s: not an offset from UTC (seconds, whole minutes within -14:00..+14:00)"},
        {"a start offset from UTC of INT32_MIN",
         [](v1::Batch &m) { m.mutable_responses(1)->set_started_utc_offset_s(std::numeric_limits<qint32>::min()); },
         "started_utc_offset_s: not an offset from UTC"},
        {"a start offset from UTC with seconds",
         [](v1::Batch &m) { m.mutable_responses(1)->set_started_utc_offset_s(3600 + 30); },
         "started_utc_offset_s: not an offset from UTC"},
        {"an unknown status", [](v1::Batch &m) { m.mutable_responses(1)->set_status(v1::ResponseStatus(77)); },
         "status: unknown status 77"},
        {"revision 0", [](v1::Batch &m) { m.mutable_responses(1)->set_revision(0); }, "revision: revision 0"},
        {"a 1000-character question name",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_text_questions(addString(m, std::string(1000, 'q')));
             r->add_text_values("x");
         },
         "which is not a question of form"},
        {"a 100,000-character text answer",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_text_questions(addString(m, "free_text"));
             r->add_text_values(std::string(100000, 'x'));
         },
         "text answer to 'free_text': 100000 characters, over the limit of 65536"},
        {"an upper-case spelling of a UUID",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             const QString text = QUuid::fromRfc4122(QByteArray::fromStdString(r->uuid())).toString(QUuid::WithoutBraces).toUpper();
             r->clear_uuid();
             r->set_uuid_text(text.toStdString());
         },
         "not the canonical spelling of UUID"},
        {"a braced spelling of a UUID",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             const QString text = QUuid::fromRfc4122(QByteArray::fromStdString(r->uuid())).toString(QUuid::WithBraces);
             r->clear_uuid();
             r->set_uuid_text(text.toStdString());
         },
         "not the canonical spelling of UUID"},
        // Memory and disk bombs inside one response (review of issue 10).
        {"select_multiple values that join to more than the text limit",
         [](v1::Batch &m) {
             auto *mc = m.mutable_responses(1)->mutable_multi_choices(0);
             const quint32 big = addString(m, std::string(40000, 'c'));
             mc->clear_values();
             mc->add_values(big);
             mc->add_values(big);
         },
         "the choices' names add up to more than 65536 characters"},
        {"a paradata question of 1000 characters",
         [](v1::Batch &m) {
             auto *p = m.mutable_responses(1)->add_paradata();
             p->set_kind(v1::PARADATA_KIND_SHOWN);
             p->set_question(addString(m, std::string(1000, 'q')));
         },
         "paradata 0: question of 1000 characters, over the limit of 256"},
        {"a paradata detail of 2000 characters",
         [](v1::Batch &m) {
             auto *p = m.mutable_responses(1)->add_paradata();
             p->set_kind(v1::PARADATA_KIND_SHOWN);
             p->set_detail(addString(m, std::string(2000, 'd')));
         },
         "paradata 0: detail of 2000 characters, over the limit of 1024"},
        {"a paradata question not in the form",
         [](v1::Batch &m) {
             auto *p = m.mutable_responses(1)->add_paradata();
             p->set_kind(v1::PARADATA_KIND_SHOWN);
             p->set_question(addString(m, "no_such_question"));
         },
         "paradata 0 names a question that is not in form voxpop_council"},
        // Text answers to typed questions are read whole, not by Qt's lenient parsers.
        {"a date with junk after it",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_text_questions(addString(m, "visit_date"));
             r->add_text_values("2024-01-01" + std::string(60000, 'j'));
         },
         "answer to 'visit_date' (date) is not a date"},
        {"a time with junk after it",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_text_questions(addString(m, "visit_time"));
             r->add_text_values("10:30:00junk");
         },
         "answer to 'visit_time' (time) is not a time"},
        {"a datetime with junk after it",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_text_questions(addString(m, "visit_at"));
             r->add_text_values("2026-11-24T10:30:00Z junk");
         },
         "answer to 'visit_at' (datetime) is not an ISO 8601 date and time"},
        {"a decimal with spaces around it",
         [](v1::Batch &m) {
             auto *r = m.mutable_responses(1);
             r->add_text_questions(addString(m, "spend"));
             r->add_text_values(" 12.5 ");
         },
         "answer to 'spend' (decimal) is not a finite decimal number"},
        {"a UUID as urn:uuid:", [](v1::Batch &m) { setUuidText(m, [](const QString &u) { return "urn:uuid:" + u; }); },
         "not the canonical spelling of UUID"},
        {"a UUID as 32 hex digits",
         [](v1::Batch &m) { setUuidText(m, [](const QString &u) { return QString(u).remove(QLatin1Char('-')); }); },
         "not the canonical spelling of UUID"},
        {"a UUID with a leading space",
         [](v1::Batch &m) { setUuidText(m, [](const QString &u) { return QStringLiteral(" ") + u; }); },
         "not the canonical spelling of UUID"},
        {"a UUID with a trailing space",
         [](v1::Batch &m) { setUuidText(m, [](const QString &u) { return u + QStringLiteral(" "); }); },
         "not the canonical spelling of UUID"},
        {"the nil UUID",
         [](v1::Batch &m) { setUuidText(m, [](const QString &) { return QStringLiteral("00000000-0000-0000-0000-000000000000"); }); },
         "uuid_text: the nil UUID names no item"},
        {"a contact with an unknown disposition",
         [](v1::Batch &m) { m.mutable_contacts(1)->set_disposition(v1::Disposition(42)); }, "disposition: unknown disposition 42",
         true},
        {"a contact time of INT64_MIN", [](v1::Batch &m) { m.mutable_contacts(1)->set_time_ms(kInt64Min); },
         "time_ms: the time is outside", true},
        {"a contact at latitude 1000",
         [](v1::Batch &m) { m.mutable_contacts(1)->mutable_location()->set_latitude(1000); }, "location: latitude is not a number in -90..90", true},
        {"a contact note of 100,000 characters",
         [](v1::Batch &m) { m.mutable_contacts(1)->set_note(std::string(100000, 'n')); }, "note: 100000 characters", true},
    };
    return all;
}

} // namespace

TEST_CASE("every response is checked against its published form version and refused alone", "[sync][security]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    for (const Attack &attack : attacks()) {
        INFO("attack: " << attack.name);
        OutboxBatch outbox = voxpopBatch(2, 2, QStringLiteral("leeds"), QStringLiteral("dev-a"));
        const QByteArray raw = mutated(BatchCodec::encode(header(QStringLiteral("dev-a"), 1), outbox, voxpopTypes()), attack.change);
        const qint64 before = f.responses();
        const qint64 contactsBefore = f.store->contactCount();
        const MergeResult r = f.mergeRaw(raw);
        REQUIRE(r.responses.size() == 2);
        REQUIRE(r.contacts.size() == 2);
        const QList<ItemResult> &items = attack.contact ? r.contacts : r.responses;
        const QList<ItemResult> &others = attack.contact ? r.responses : r.contacts;
        CHECK(items[0].outcome == MergeOutcome::Accepted); // the rest of the batch merges
        CHECK(others[0].outcome == MergeOutcome::Accepted);
        CHECK(others[1].outcome == MergeOutcome::Accepted);
        CHECK(items[1].outcome == MergeOutcome::Rejected);
        CHECK(items[1].reason.contains(QStringLiteral(" %1: ").arg(items[1].uuid))); // names the item
        CHECK(items[1].reason.contains(QString::fromUtf8(attack.reason)));
        // A reason names the field and the rule, never the value sent (answers, places, times).
        const QString withoutUuid = QString(items[1].reason).remove(items[1].uuid);
        for (const char *value : {"latitude 1000", "latitude inf", "-500", "86400", "54000", "3630", "9223372036854775807",
                                  "9223372036854775808", "2147483648", "junk", "2024-01-01"})
            CHECK_FALSE(withoutUuid.contains(QLatin1String(value)));
        CHECK(f.responses() == before + (attack.contact ? 2 : 1)); // never stored
        CHECK(f.store->contactCount() == contactsBefore + (attack.contact ? 1 : 2));
        // The acknowledgement the device gets says the same.
        v1::BatchAck ack;
        REQUIRE(ack.ParseFromArray(r.ack.constData(), int(r.ack.size())));
        const v1::ItemAck &wire = attack.contact ? ack.contacts(1) : ack.responses(1);
        CHECK(wire.outcome() == v1::OUTCOME_REJECTED);
        CHECK(QString::fromStdString(wire.reason()) == items[1].reason);
    }
    // Every refusal is listed for the coordinator.
    const QList<RefusalRecord> refused = f.store->refusals();
    CHECK(refused.size() == qsizetype(attacks().size()));
    for (const RefusalRecord &x : refused) {
        CHECK(x.deviceId == QStringLiteral("dev-a"));
        CHECK(!x.reason.isEmpty());
        CHECK(!x.batchUuid.isEmpty());
    }
}

TEST_CASE("batch-level absurdities are refused whole, before anything is stored", "[sync][security]")
{
    const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-a"), 1), voxpopBatch(1, 0, QStringLiteral("leeds"), QStringLiteral("dev-a")), voxpopTypes());
    // sequence 2^64 - 1
    const QByteArray maxSequence = mutated(raw, [](v1::Batch &m) { m.set_sequence(std::numeric_limits<quint64>::max()); });
    try {
        BatchCodec::decode(maxSequence);
        FAIL("decoded");
    } catch (const ProtocolError &e) {
        CHECK(e.code() == ProtocolError::Code::Invalid);
        CHECK(e.message().contains(QStringLiteral("sequence number 18446744073709551615 is not in 1..")));
    }
    // An 8 MiB question name: over the 1 MiB limit of any string, refused as too large (413).
    const QByteArray hugeName = mutated(raw, [](v1::Batch &m) {
        auto *r = m.mutable_responses(0);
        r->add_text_questions(addString(m, std::string(8 << 20, 'q')));
        r->add_text_values("x");
    });
    try {
        BatchCodec::decode(hugeName);
        FAIL("decoded");
    } catch (const ProtocolError &e) {
        CHECK(e.code() == ProtocolError::Code::TooLarge);
        CHECK(e.message().contains(QStringLiteral("8388608 bytes")));
    }
}

TEST_CASE("decoding takes memory bounded by the body, not by what it claims", "[sync][security]")
{
    // 10 MB of empty strings (2 bytes each on the wire, ~70 once parsed): refused before parsing.
    std::string body;
    v1::Batch head;
    head.set_format(1);
    body = head.SerializeAsString();
    const std::string emptyString("\x32\x00", 2); // field 6 (strings), length 0
    body.reserve(10 << 20);
    while (body.size() < size_t(10 << 20))
        body += emptyString;
    try {
        BatchCodec::decode(QByteArray::fromStdString(body));
        FAIL("decoded");
    } catch (const ProtocolError &e) {
        CHECK(e.code() == ProtocolError::Code::TooLarge);
        CHECK(e.message().contains(QStringLiteral("strings for its size")));
    }
    // 10,001 empty responses: over the item limit.
    std::string items = head.SerializeAsString();
    for (int i = 0; i < 10001; ++i)
        items += std::string("\x42\x00", 2); // field 8 (responses), length 0
    try {
        BatchCodec::decode(QByteArray::fromStdString(items));
        FAIL("decoded");
    } catch (const ProtocolError &e) {
        // Refused for their number before any of them is read (not for lacking a UUID).
        CHECK(e.code() == ProtocolError::Code::TooLarge);
        CHECK(e.message().contains(QStringLiteral("more than 10000 responses and contacts")));
    }
    // Many empty paradata events in one response.
    v1::Batch m;
    m.set_format(1);
    auto *r = m.add_responses();
    for (int i = 0; i < 200000; ++i)
        r->add_paradata();
    m.set_item_count(1);
    try {
        BatchCodec::decode(QByteArray::fromStdString(m.SerializeAsString()));
        FAIL("decoded");
    } catch (const ProtocolError &e) {
        CHECK(e.code() == ProtocolError::Code::TooLarge);
    }
    // Packed typed answers: 3 million one-byte integer values (and their questions) in one
    // response, ~100 bytes each once decoded: over the budget of the typed arrays.
    for (const bool packedInMultiChoice : {false, true}) {
        v1::Batch typed;
        typed.set_format(1);
        auto *tr = typed.add_responses();
        auto *mc = packedInMultiChoice ? tr->add_multi_choices() : nullptr;
        for (int i = 0; i < 3000000; ++i) {
            if (mc)
                mc->add_values(0);
            else
                tr->add_integer_values(0);
        }
        typed.set_item_count(1);
        INFO("in a select_multiple: " << packedInMultiChoice);
        try {
            BatchCodec::decode(QByteArray::fromStdString(typed.SerializeAsString()));
            FAIL("decoded");
        } catch (const ProtocolError &e) {
            CHECK(e.code() == ProtocolError::Code::TooLarge);
            CHECK(e.message().contains(QStringLiteral("typed answer values for its size")));
        }
    }
    // A real batch of 500 responses is well inside every bound.
    const QByteArray real = BatchCodec::encode(header(QStringLiteral("dev-a"), 1), voxpopBatch(500, 50, QStringLiteral("leeds"), QStringLiteral("dev-a")), voxpopTypes());
    CHECK(BatchCodec::decode(real).responses.size() == 500);
}

TEST_CASE("a response belongs to the device that first sent it", "[sync][security]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    OutboxBatch mine = voxpopBatch(2, 1, QStringLiteral("leeds"), QStringLiteral("dev-a"));
    REQUIRE(f.merge(mine).count(MergeOutcome::Accepted) == 3);

    // Device C sends A's response at revision 2 (and with A's device id, and with its own).
    for (const QString &claimed : {QStringLiteral("dev-a"), QStringLiteral("dev-c")}) {
        OutboxBatch theft;
        theft.responses.append(mine.responses[0]);
        theft.responses[0].meta.revision = 2;
        theft.responses[0].meta.deviceId = claimed;
        theft.responses[0].answers[QStringLiteral("sat_parks")] = QStringLiteral("1");
        theft.contacts.append(mine.contacts[0]);
        theft.contacts[0].deviceId = claimed;
        theft.contacts[0].note = QStringLiteral("overwritten");
        const MergeResult r = f.merge(theft, QStringLiteral("dev-c"), claimed == QStringLiteral("dev-a") ? 1 : 2);
        INFO(claimed.toStdString());
        REQUIRE(r.responses.size() == 1);
        CHECK(r.responses[0].outcome == MergeOutcome::Rejected);
        CHECK(r.contacts[0].outcome == MergeOutcome::Rejected);
        if (claimed == QStringLiteral("dev-a"))
            CHECK(r.responses[0].reason.contains(QStringLiteral("device_id dev-a is not the device that sent it (dev-c)")));
        else
            CHECK(r.responses[0].reason.contains(QStringLiteral("belongs to device dev-a")));
    }
    // A's version stays current and alone.
    int seen = 0;
    f.store->forEachResponse({}, [&](const StoredResponse &r) {
        if (r.meta.uuid == mine.responses[0].meta.uuid) {
            ++seen;
            CHECK(r.meta.revision == 1);
            CHECK(r.meta.deviceId == QStringLiteral("dev-a"));
            CHECK(r.versions == 1);
        }
        return true;
    });
    CHECK(seen == 1);
    CHECK(f.store->conflicts().isEmpty());
    // Logged for the coordinator, and shown by `kerbside refusals` (SQLite: the CLI opens the file).
    CHECK(f.store->refusals().size() == 4);
    if (backend == "sqlite") {
        const CommandResult cli = runKerbside({QStringLiteral("refusals"), QStringLiteral("--db"), f.path});
        CHECK(cli.exitCode == 0);
        CHECK(cli.out.contains(QStringLiteral("4 refused item(s)")));
        CHECK(cli.out.contains(QStringLiteral("belongs to device dev-a")));
    }

    // A re-enrolled tablet: the coordinator links its old identity to the new one, and its
    // revisions (recorded under the old id) merge.
    OutboxBatch revision;
    revision.responses.append(mine.responses[1]);
    revision.responses[0].meta.revision = 2;
    revision.responses[0].answers[QStringLiteral("sat_parks")] = QStringLiteral("5");
    CHECK(f.merge(revision, QStringLiteral("dev-new"), 1).responses[0].outcome == MergeOutcome::Rejected);
    if (backend == "sqlite") {
        const CommandResult link = runKerbside({QStringLiteral("device"), QStringLiteral("link"), QStringLiteral("dev-a"),
                                                QStringLiteral("dev-new"), QStringLiteral("--db"), f.path});
        CHECK(link.exitCode == 0);
        const CommandResult list = runKerbside({QStringLiteral("device"), QStringLiteral("list"), QStringLiteral("--db"), f.path});
        CHECK(list.out.contains(QStringLiteral("re-enrolled as dev-new")));
    } else {
        f.store->linkDevice(QStringLiteral("dev-a"), QStringLiteral("dev-new"), QDateTime::currentDateTimeUtc());
    }
    CHECK_THROWS_AS(f.store->linkDevice(QStringLiteral("dev-a"), QStringLiteral("dev-c"), QDateTime::currentDateTimeUtc()),
                    CollectorError);
    CHECK_THROWS_AS(f.store->linkDevice(QStringLiteral("dev-x"), QStringLiteral("dev-c"), QDateTime::currentDateTimeUtc()),
                    CollectorError);
    const MergeResult linked = f.merge(revision, QStringLiteral("dev-new"), 2);
    CHECK(linked.responses[0].outcome == MergeOutcome::Accepted);
    CHECK(linked.responses[0].reason == QStringLiteral("replaces revision 1"));
    // The link does not let the new identity speak for anyone else.
    OutboxBatch cs = voxpopBatch(1, 0, QStringLiteral("leeds"), QStringLiteral("dev-c"));
    REQUIRE(f.merge(cs, QStringLiteral("dev-c"), 3).count(MergeOutcome::Accepted) == 1);
    cs.responses[0].meta.revision = 2;
    CHECK(f.merge(cs, QStringLiteral("dev-new"), 3).responses[0].outcome == MergeOutcome::Rejected);
}

TEST_CASE("a UUID sent as bytes and as text is one response", "[sync][security]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    const OutboxBatch outbox = voxpopBatch(1, 0, QStringLiteral("leeds"), QStringLiteral("dev-a"));
    const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-a"), 1), outbox, voxpopTypes());
    REQUIRE(f.mergeRaw(raw).count(MergeOutcome::Accepted) == 1);
    // The canonical text is the same UUID: a duplicate, not a second response.
    const QByteArray asText = mutated(BatchCodec::encode(header(QStringLiteral("dev-a"), 2), outbox, voxpopTypes()), [&](v1::Batch &m) {
        m.mutable_responses(0)->clear_uuid();
        m.mutable_responses(0)->set_uuid_text(outbox.responses[0].meta.uuid.toStdString());
    });
    CHECK(f.mergeRaw(asText).responses[0].outcome == MergeOutcome::Duplicate);
    for (const QString &spelling : {outbox.responses[0].meta.uuid.toUpper(), QStringLiteral("{%1}").arg(outbox.responses[0].meta.uuid)}) {
        const QByteArray other = mutated(BatchCodec::encode(header(QStringLiteral("dev-a"), 3), outbox, voxpopTypes()), [&](v1::Batch &m) {
            m.mutable_responses(0)->clear_uuid();
            m.mutable_responses(0)->set_uuid_text(spelling.toStdString());
        });
        const MergeResult r = f.mergeRaw(other);
        CHECK(r.responses[0].outcome == MergeOutcome::Rejected);
        CHECK(r.responses[0].uuid == spelling); // the ack names the item as the device sent it
    }
    CHECK(f.responses() == 1);
}

TEST_CASE("form ids follow one pattern, checked at publish", "[sync][security]")
{
    CHECK(isValidFormId(QStringLiteral("voxpop_council")));
    CHECK(isValidFormId(QStringLiteral("community-contracts-voxpop")));
    for (const char *bad : {"", "/etc/passwd", "../escape", "sub/dir/x", "Upper", "with space", "9starts", "dot.ted", ".hidden",
                            "x\\y"})
        CHECK_FALSE(isValidFormId(QString::fromLatin1(bad)));
    // The names of the files an export writes beside the forms' own.
    for (const char *reserved : {"contacts", "summary", "codebook", "weights", "manifest", "unpublished-form-abc"}) {
        INFO(reserved);
        CHECK_FALSE(isValidFormId(QString::fromLatin1(reserved)));
        CHECK(formIdProblem(QString::fromLatin1(reserved)).contains(QStringLiteral("reserved for the files an export writes")));
    }
    CHECK(isValidFormId(QStringLiteral("contacts2")));
    CHECK_FALSE(isValidFormId(QString(65, QLatin1Char('a'))));
    CHECK(isValidFormId(QString(64, QLatin1Char('a'))));
    QTemporaryDir dir;
    auto store = SqliteCollectorStore::open(dir.filePath(QStringLiteral("c.sqlite")));
    store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    for (const char *bad : {"/tmp/x", "../x", "sub/dir/x"}) {
        PublishedFormRecord form{QString::fromLatin1(bad), QStringLiteral("1"), QStringLiteral("T"), QByteArray("{}"), {}, {}, {}};
        CHECK_THROWS_AS(store->publishForm(form, {QStringLiteral("leeds")}), CollectorError);
    }
    CHECK(store->forms().isEmpty());
}

TEST_CASE("exports name files only after published form ids and never follow a planted symlink", "[sync][security]")
{
    // A database an older collector filled with whatever devices sent: form ids that are an
    // absolute path, a relative path with ../, and a path with folders.
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("c.sqlite"));
    const QString victim = dir.filePath(QStringLiteral("victim.txt"));
    {
        auto store = SqliteCollectorStore::open(db);
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        publishVoxpop(*store, {QStringLiteral("leeds")});
        const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-a"), 1), voxpopBatch(4, 1, QStringLiteral("leeds"), QStringLiteral("dev-a")), voxpopTypes());
        REQUIRE(store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc())
                    .count(MergeOutcome::Accepted) == 5);
    }
    QFile v(victim);
    REQUIRE(v.open(QIODevice::WriteOnly));
    v.write("precious\n");
    v.close();
    const QString absolute = dir.filePath(QStringLiteral("absolute-target"));
    sqlite3 *h = nullptr;
    REQUIRE(sqlite3_open(db.toUtf8().constData(), &h) == SQLITE_OK);
    const QString sql = QStringLiteral(
        "UPDATE response_versions SET form_id = CASE (SELECT count(*) FROM response_versions w WHERE w.id < response_versions.id) "
        "WHEN 0 THEN '%1' WHEN 1 THEN '../escaped' WHEN 2 THEN 'sub/dir/x' ELSE form_id END")
                            .arg(absolute);
    REQUIRE(sqlite3_exec(h, sql.toUtf8().constData(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
    repackAsFormat1(db); // as that older collector wrote them (schema 9 packs against the form named)

    const QString out = dir.filePath(QStringLiteral("out"));
    REQUIRE(QDir().mkpath(out));
    // A symlink planted in the output folder where the export writes a file of its own.
    REQUIRE(QFile::link(victim, QDir(out).filePath(QStringLiteral("contacts.csv"))));
    const CommandResult r = runKerbside({QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--out"), out,
                                         QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv")});
    INFO(r.out.toStdString() << r.err.toStdString());
    CHECK(r.exitCode == 0);
    CHECK_FALSE(QFileInfo::exists(absolute + QStringLiteral(".csv")));
    CHECK_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("escaped.csv"))));
    CHECK_FALSE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("sub"))));
    QFile after(victim);
    REQUIRE(after.open(QIODevice::ReadOnly));
    CHECK(after.readAll() == "precious\n"); // the symlink was replaced, not followed
    CHECK_FALSE(QFileInfo(QDir(out).filePath(QStringLiteral("contacts.csv"))).isSymLink());
    const QStringList files = QDir(out).entryList(QDir::Files);
    CHECK(files.contains(QStringLiteral("voxpop_council.csv")));
    CHECK(files.filter(QStringLiteral("unpublished-form-")).size() == 3);
    for (const QString &name : files)
        CHECK_FALSE(name.contains(QLatin1Char('/')));
}

TEST_CASE("forms published under the old id rule still load and export, to safe file names", "[sync][security]")
{
    // A database of an older collector: forms stored as `council.v2` and `Voxpop` (the old rule:
    // a letter, then letters, digits, '_', '-', '.'), and one named like an export's own file.
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("c.sqlite"));
    {
        auto store = SqliteCollectorStore::open(db);
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        publishVoxpop(*store, {QStringLiteral("leeds")});
        const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-a"), 1), voxpopBatch(3, 0, QStringLiteral("leeds"), QStringLiteral("dev-a")), voxpopTypes());
        REQUIRE(store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc())
                    .count(MergeOutcome::Accepted) == 3);
    }
    sqlite3 *h = nullptr;
    REQUIRE(sqlite3_open(db.toUtf8().constData(), &h) == SQLITE_OK);
    for (const char *id : {"council.v2", "Voxpop", "Contacts"}) {
        const QString sql = QStringLiteral(
            "INSERT INTO forms SELECT '%1', version, title, CAST(replace(CAST(json AS TEXT), '\"voxpop_council\"', '\"%1\"') AS BLOB), "
            "sha256, published_ms FROM forms WHERE form_id = 'voxpop_council';"
            "INSERT INTO form_publications SELECT '%1', version, case_study, published_ms FROM form_publications "
            "WHERE form_id = 'voxpop_council';")
                                .arg(QLatin1String(id));
        INFO(sql.toStdString());
        REQUIRE(sqlite3_exec(h, sql.toUtf8().constData(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    REQUIRE(sqlite3_exec(h, "UPDATE response_versions SET form_id = CASE (SELECT count(*) FROM response_versions w WHERE w.id < response_versions.id) "
                            "WHEN 0 THEN 'council.v2' WHEN 1 THEN 'Voxpop' ELSE 'Contacts' END;"
                            "DELETE FROM form_publications WHERE form_id = 'voxpop_council';"
                            "DELETE FROM forms WHERE form_id = 'voxpop_council';",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);

    const QString out = dir.filePath(QStringLiteral("out"));
    const CommandResult r = runKerbside({QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--out"), out,
                                         QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv")});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QStringList files = QDir(out).entryList(QDir::Files);
    INFO(files.join(QLatin1Char(' ')).toStdString());
    CHECK(files.contains(QStringLiteral("council.v2.csv")));
    CHECK(files.contains(QStringLiteral("Voxpop.csv")));
    // `Contacts` would be contacts.csv on a case-insensitive disk: it gets a hashed name.
    CHECK(files.filter(QStringLiteral("unpublished-form-")).size() == 1);
    QFile council(QDir(out).filePath(QStringLiteral("council.v2.csv")));
    REQUIRE(council.open(QIODevice::ReadOnly));
    CHECK(council.readAll().count("\r\n") == 2); // the header and its one response
    // New forms still follow today's pattern: `kerbside form check` and publish refuse the old one.
    const QString legacyForm = dir.filePath(QStringLiteral("legacy.json"));
    {
        QFile in(voxpopFormPath());
        REQUIRE(in.open(QIODevice::ReadOnly));
        QFile f(legacyForm);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write(in.readAll().replace("\"voxpop_council\"", "\"council.v2\""));
    }
    const CommandResult check = runKerbside({QStringLiteral("form"), QStringLiteral("check"), legacyForm});
    CHECK(check.exitCode == 1);
    CHECK(check.out.contains(QStringLiteral("$.id: invalid id 'council.v2'")));
}

TEST_CASE("kerbside import refuses unknown devices and reports every refused item", "[sync][security]")
{
    Fixture f("sqlite");
    // A file naming a device this collector never enrolled: refused whole (no case-study check
    // could apply to it), nothing stored.
    const QString stranger = f.dir.filePath(QStringLiteral("stranger.kbatch"));
    QString error;
    const OutboxBatch theirs = voxpopBatch(2, 1, QStringLiteral("york"), QStringLiteral("dev-unknown"));
    REQUIRE(BatchFile::write(stranger, BatchCodec::encode(header(QStringLiteral("dev-unknown"), 1), theirs, voxpopTypes()),
                             QStringLiteral("dev-unknown"), &error));
    const CommandResult unknown = runKerbside({QStringLiteral("import"), stranger, QStringLiteral("--db"), f.path});
    CHECK(unknown.exitCode == 1);
    CHECK(unknown.err.contains(QStringLiteral("device dev-unknown is not enrolled with this collector; nothing imported")));
    CHECK(f.responses() == 0);

    // A file from an enrolled device with one response the form refuses: the rest merges, the
    // count and the reason are printed, and the exit status says something was refused.
    const OutboxBatch outbox = voxpopBatch(2, 0, QStringLiteral("leeds"), QStringLiteral("dev-a"));
    const QByteArray raw = mutated(BatchCodec::encode(header(QStringLiteral("dev-a"), 1), outbox, voxpopTypes()),
                                   [](v1::Batch &m) { m.mutable_responses(1)->set_choice_values(0, addString(m, "not_a_choice")); });
    const QString file = f.dir.filePath(QStringLiteral("mine.kbatch"));
    REQUIRE(BatchFile::write(file, raw, QStringLiteral("dev-a"), &error));
    const CommandResult r = runKerbside({QStringLiteral("import"), file, QStringLiteral("--db"), f.path});
    INFO(r.out.toStdString() << r.err.toStdString());
    CHECK(r.exitCode == 1);
    CHECK(r.out.contains(QStringLiteral("1 accepted, 0 duplicate, 0 conflict, 1 rejected")));
    CHECK(r.err.contains(QStringLiteral("rejected: response %1: ").arg(outbox.responses[1].meta.uuid)));
    CHECK(r.err.contains(QStringLiteral("is not a choice of list")));
    CHECK(f.responses() == 1);
    const CommandResult usage = runKerbside({QStringLiteral("import")});
    CHECK(usage.exitCode == 2);
    CHECK(usage.err.contains(QStringLiteral("1 when a file or any item in it was refused")));
}

TEST_CASE("a batch alternating unknown form ids reads each form version once", "[sync][security]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    // 300 responses cycling through the published form and two that are not.
    const OutboxBatch outbox = voxpopBatch(300, 0, QStringLiteral("leeds"), QStringLiteral("dev-a"));
    const QByteArray raw = mutated(BatchCodec::encode(header(QStringLiteral("dev-a"), 1), outbox, voxpopTypes()), [](v1::Batch &m) {
        for (const char *id : {"no_such_form", "nor_this_one"}) {
            auto *form = m.add_forms();
            form->set_id(id);
            form->set_version("1");
        }
        for (int i = 0; i < m.responses_size(); ++i)
            m.mutable_responses(i)->set_form(quint32(i % 3 == 0 ? 0 : m.forms_size() - 1 - i % 2));
    });
    const qint64 before = f.store->formLoads();
    const MergeResult r = f.mergeRaw(raw);
    CHECK(r.count(MergeOutcome::Accepted) == 100);
    CHECK(r.count(MergeOutcome::Rejected) == 200);
    CHECK(f.store->formLoads() - before <= 3); // was one read per alternation (up to 10,000)
}

TEST_CASE("kerbside refusals shows device-sent strings with control characters escaped", "[sync][security]")
{
    Fixture f("sqlite");
    const OutboxBatch outbox = voxpopBatch(2, 0, QStringLiteral("leeds"), QStringLiteral("dev-a"));
    const QByteArray raw = mutated(BatchCodec::encode(header(QStringLiteral("dev-a"), 1), outbox, voxpopTypes()), [](v1::Batch &m) {
        auto *form = m.add_forms();
        form->set_id("form\x1b]0;owned\x07");
        form->set_version("1");
        auto *r = m.mutable_responses(1);
        r->set_form(quint32(m.forms_size() - 1));
        r->clear_uuid();
        r->set_uuid_text("\x1b[2Jid\r\xe2\x80\xae"); // clear screen, carriage return, right-to-left override
    });
    REQUIRE(f.mergeRaw(raw).count(MergeOutcome::Rejected) == 1);
    const CommandResult cli = runKerbside({QStringLiteral("refusals"), QStringLiteral("--db"), f.path});
    INFO(cli.out.toStdString());
    CHECK(cli.exitCode == 0);
    CHECK(cli.out.contains(QStringLiteral("1 refused item(s)")));
    CHECK(cli.out.contains(QStringLiteral("\\x1b[2Jid\\x0d\\u202e")));
    CHECK(cli.out.contains(QStringLiteral("form\\x1b]0;owned\\x07")));
    for (const char16_t c : {u'\x1b', u'\r', u'\x07', u'\u202e'})
        CHECK_FALSE(cli.out.contains(QChar(c)));
}
