// SPDX-License-Identifier: Apache-2.0
// Sample responses for the sync tests: the ODK peer's vox pop answers (../shared/peers/
// odk-central/sample-submission.xml) as the tablet would store them.
#pragma once

#include "batchcodec.h"
#include "store/timeuuid.h"

#include <QRandomGenerator>

#include <algorithm>

namespace kerbside::test {

inline BatchCodec::TypeLookup voxpopTypes()
{
    return [](const QString &, const QString &, const QString &q) -> std::optional<QuestionType> {
        static const QHash<QString, QuestionType> types{
            {QStringLiteral("consent"), QuestionType::Consent},
            {QStringLiteral("age_band"), QuestionType::SelectOne},
            {QStringLiteral("gender"), QuestionType::SelectOne},
            {QStringLiteral("neighbourhood"), QuestionType::SelectOne},
            {QStringLiteral("sat_waste"), QuestionType::SelectOne},
            {QStringLiteral("sat_streets"), QuestionType::SelectOne},
            {QStringLiteral("sat_parks"), QuestionType::SelectOne},
            {QStringLiteral("sat_libraries"), QuestionType::SelectOne},
            {QStringLiteral("sat_roads"), QuestionType::SelectOne},
            {QStringLiteral("sat_transport"), QuestionType::SelectOne},
            {QStringLiteral("sat_housing"), QuestionType::SelectOne},
            {QStringLiteral("sat_socialcare"), QuestionType::SelectOne},
            {QStringLiteral("services_used"), QuestionType::SelectMultiple},
            {QStringLiteral("contact_channels"), QuestionType::SelectMultiple},
            {QStringLiteral("priorities"), QuestionType::SelectMultiple},
            {QStringLiteral("years_in_area"), QuestionType::Integer},
            {QStringLiteral("household_size"), QuestionType::Integer},
            {QStringLiteral("comment_best"), QuestionType::Text},
            {QStringLiteral("comment_improve"), QuestionType::Text},
            {QStringLiteral("location"), QuestionType::Geopoint},
            {QStringLiteral("visit_date"), QuestionType::Date},
            {QStringLiteral("visit_time"), QuestionType::Time},
            {QStringLiteral("visit_at"), QuestionType::DateTime},
            {QStringLiteral("spend"), QuestionType::Decimal},
        };
        auto it = types.constFind(q);
        return it == types.constEnd() ? std::nullopt : std::optional<QuestionType>(*it);
    };
}

// The ODK sample's answers, varied a little by `i`.
inline Response voxpopResponse(int i, const QString &caseStudy = QStringLiteral("leeds"),
                               const QString &deviceId = QStringLiteral("dev-test"))
{
    Response r;
    ResponseMeta &m = r.meta;
    m.uuid = newTimeOrderedUuid();
    m.formId = QStringLiteral("voxpop_council");
    m.formVersion = QStringLiteral("2026112401");
    m.caseStudy = caseStudy;
    m.enumerator = QStringLiteral("enumerator-07");
    m.deviceId = deviceId;
    m.status = ResponseStatus::Complete;
    m.revision = 1;
    m.started = QDateTime::fromMSecsSinceEpoch(1793324562498LL + i * 1000LL, Qt::UTC);
    m.ended = m.started.addMSecs(140819);
    m.updated = m.ended;
    m.location.latitude = 51.529688 + i * 1e-6;
    m.location.longitude = -2.6092701;
    m.location.altitude = 33.5;
    m.location.accuracy = 4.3;
    m.location.time = m.started.addSecs(3);
    m.language = QStringLiteral("en");
    auto &a = r.answers;
    a[QStringLiteral("consent")] = QStringLiteral("yes");
    a[QStringLiteral("age_band")] = QStringLiteral("a35_44");
    a[QStringLiteral("gender")] = i % 2 ? QStringLiteral("woman") : QStringLiteral("man");
    a[QStringLiteral("neighbourhood")] = QStringLiteral("riverside");
    a[QStringLiteral("sat_waste")] = QString::number(1 + i % 5);
    a[QStringLiteral("sat_streets")] = QStringLiteral("1");
    a[QStringLiteral("sat_parks")] = QStringLiteral("4");
    a[QStringLiteral("sat_libraries")] = QStringLiteral("1");
    a[QStringLiteral("sat_roads")] = QStringLiteral("2");
    a[QStringLiteral("sat_transport")] = QStringLiteral("4");
    a[QStringLiteral("sat_housing")] = QStringLiteral("4");
    a[QStringLiteral("sat_socialcare")] = QStringLiteral("4");
    a[QStringLiteral("services_used")] = QStringLiteral("recycling");
    a[QStringLiteral("contact_channels")] = QStringLiteral("in_person app");
    a[QStringLiteral("priorities")] = QStringLiteral("older_people");
    a[QStringLiteral("years_in_area")] = QString::number(28 + i % 40);
    a[QStringLiteral("household_size")] = QStringLiteral("4");
    a[QStringLiteral("comment_best")] =
        QStringLiteral("The library runs great free events for children and the staff are really helpful.");
    a[QStringLiteral("comment_improve")] =
        QStringLiteral("It is very hard to reach anyone by phone; the queue is long and then the line drops.");
    a[QStringLiteral("location")] = QStringLiteral("51.529688 -2.6092701 33.5 4.3");
    return r;
}

// The paradata a tablet's InterviewSession records for `r`, as a fieldworker goes through it:
// per answered question (in `order`, the form's order; the answers' keys when empty) "shown"
// when its page opens and "changed" when it is answered, a correction now and then (a second
// "changed"), on one interview in twenty a language switch (detail: the new language, one of
// `languages`), and "finalised" at the end; times spread between started and ended. About 45
// events for a vox pop of 22 answers, as a real tablet sends them.
inline QList<ParadataEvent> tabletParadata(const Response &r, QRandomGenerator &random, QStringList order = {},
                                           const QStringList &languages = {QStringLiteral("en")})
{
    if (order.isEmpty())
        order = r.answers.keys();
    QStringList answered;
    for (const QString &q : std::as_const(order))
        if (r.answers.contains(q))
            answered.append(q);
    const ResponseMeta &m = r.meta;
    const qint64 span = std::max<qint64>(m.started.msecsTo(m.ended), 1000);
    const qint64 step = span / (2 * answered.size() + 2);
    QDateTime t = m.started;
    const auto later = [&] {
        t = t.addMSecs(step / 2 + qint64(random.bounded(quint32(std::max<qint64>(step, 1)))));
        return t;
    };
    const int switchAt = random.bounded(20) == 0 ? int(random.bounded(quint32(answered.size() + 1))) : -1;
    QList<ParadataEvent> out;
    out.reserve(2 * answered.size() + 4);
    for (int i = 0; i < answered.size(); ++i) {
        if (i == switchAt)
            out.append({m.uuid, later(), ParadataEvent::Kind::LanguageSwitched, {},
                        languages.value(int(random.bounded(quint32(languages.size()))))});
        out.append({m.uuid, later(), ParadataEvent::Kind::Shown, answered[i], {}});
        out.append({m.uuid, later(), ParadataEvent::Kind::Changed, answered[i], {}});
        if (random.bounded(8) == 0)
            out.append({m.uuid, t.addMSecs(1500), ParadataEvent::Kind::Changed, answered[i], {}});
    }
    out.append({m.uuid, std::max(m.ended, t.addMSecs(1500)), ParadataEvent::Kind::Finalised, {}, {}});
    return out;
}

inline ContactEntry sampleContact(int i, const QString &caseStudy = QStringLiteral("leeds"),
                                  const QString &deviceId = QStringLiteral("dev-test"))
{
    ContactEntry c;
    c.uuid = newTimeOrderedUuid();
    c.caseStudy = caseStudy;
    c.enumerator = QStringLiteral("enumerator-07");
    c.deviceId = deviceId;
    c.time = QDateTime::fromMSecsSinceEpoch(1793324000000LL + i * 60000LL, Qt::UTC);
    c.disposition = Disposition::Refused;
    c.ageBand = QStringLiteral("a25_34");
    c.note = QStringLiteral("busy");
    return c;
}

inline OutboxBatch voxpopBatch(int responses, int contacts = 0, const QString &caseStudy = QStringLiteral("leeds"),
                               const QString &deviceId = QStringLiteral("dev-test"))
{
    OutboxBatch b;
    for (int i = 0; i < responses; ++i)
        b.responses.append(voxpopResponse(i, caseStudy, deviceId));
    for (int i = 0; i < contacts; ++i)
        b.contacts.append(sampleContact(i, caseStudy, deviceId));
    return b;
}

inline BatchHeader header(const QString &deviceId, quint64 sequence)
{
    BatchHeader h;
    h.batchUuid = BatchCodec::newUuid();
    h.deviceId = deviceId;
    h.sequence = sequence;
    h.created = QDateTime::currentDateTimeUtc();
    h.appVersion = QStringLiteral("test");
    return h;
}

} // namespace kerbside::test
