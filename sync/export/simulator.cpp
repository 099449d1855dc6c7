// SPDX-License-Identifier: Apache-2.0
#include "simulator.h"

#include "fieldworksim.h"

#include "batchcodec.h"
#include "collectorstore.h"
#include "form/repeatpath.h"
#include "interview/interview.h"
#include "store/timeuuid.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTimeZone>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace kerbside {

namespace {

/** splitmix64: small, fast and the same on every platform (std distributions are not). */
class Rng
{
public:
    explicit Rng(quint64 seed) : m_state(seed) {}
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double real() { return double(next() >> 11) * 0x1.0p-53; } // [0, 1)
    qint64 below(qint64 n) { return n <= 0 ? 0 : qint64(real() * double(n)); }
    bool chance(double p) { return real() < p; }
    double normalish() { return real() + real() + real() - 1.5; } // sd 0.5, bounded to +-1.5
    // Time-ordered, as a tablet makes them (newTimeOrderedUuid), for an item made at `time`.
    QString uuid(const QDateTime &time)
    {
        const quint64 r = next();
        return timeOrderedUuid(time.toMSecsSinceEpoch(), quint16(r >> 52), r);
    }

private:
    quint64 m_state;
};

struct Place
{
    const char *id;
    const char *name;
    double latitude;
    double longitude;
};

// Neighbourhoods of Manchester: plausible centres for the synthetic case studies.
constexpr std::array<Place, 12> kPlaces{{
    {"moss-side", "Moss Side", 53.4586, -2.2452},      {"longsight", "Longsight", 53.4583, -2.2027},
    {"harpurhey", "Harpurhey", 53.5137, -2.2195},      {"gorton", "Gorton", 53.4650, -2.1690},
    {"cheetham-hill", "Cheetham Hill", 53.5100, -2.2370}, {"wythenshawe", "Wythenshawe", 53.3920, -2.2640},
    {"ancoats", "Ancoats", 53.4850, -2.2250},          {"hulme", "Hulme", 53.4675, -2.2480},
    {"openshaw", "Openshaw", 53.4730, -2.1800},        {"levenshulme", "Levenshulme", 53.4440, -2.1900},
    {"ardwick", "Ardwick", 53.4700, -2.2200},          {"collyhurst", "Collyhurst", 53.4960, -2.2270},
}};

const char *const kComments[] = {
    "The bins are better since the contract started.",
    "Nobody told us about any of this.",
    "Street cleaning is still poor on the side roads, especially after market day.",
    "Graffiti gets cleared quickly now, which is good.",
    "I'd like more meetings in the evening, I work days.",
    "The council should listen to \"ordinary\" residents, not just the usual faces.",
    "Drug dealing by the garages is as bad as ever; people are scared to report it.",
    "Ulice są czystsze niż rok temu.",
    "Nie wiedziałam, że jest taka umowa.",
    "More bins near the park, please, and empty them at weekends",
};
const char *const kNotes[] = {"Asked to come back after 6pm", "Said they were in a hurry", "Door answered by a child"};
const char *const kAgeBands[] = {"16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"};
const char *const kGenders[] = {"woman", "man"};
// Most instances a simulated interview adds to one open-ended repeat.
constexpr int kSimMaxInstances = 4;

double choiceWeight(const QString &name)
{
    if (name == QLatin1String("dk") || name == QLatin1String("refused") || name == QLatin1String("other")
        || name == QLatin1String("none"))
        return 0.25;
    return 1.0;
}

int weightedPick(Rng &rng, const QList<int> &options, const ChoiceList &list)
{
    double total = 0;
    for (int c : options)
        total += choiceWeight(list.choices[c].name);
    double x = rng.real() * total;
    for (int c : options) {
        x -= choiceWeight(list.choices[c].name);
        if (x < 0)
            return c;
    }
    return options.last();
}

// A candidate answer for a question (answered under `key`: its name, or its path inside a
// repeat), by type; checked by the caller.
QString candidate(const Interview &iv, const Question &q, const QString &key, Rng &rng)
{
    const ChoiceList *list = iv.form().choicesFor(q);
    switch (q.type) {
    case QuestionType::Consent:
        return QStringLiteral("yes");
    case QuestionType::SelectOne: {
        const QList<int> visible = iv.visibleChoices(key);
        return visible.isEmpty() || !list ? QString() : list->choices[weightedPick(rng, visible, *list)].name;
    }
    case QuestionType::SelectMultiple: {
        QList<int> visible = iv.visibleChoices(key);
        if (visible.isEmpty() || !list)
            return {};
        const int k = int(std::min<qint64>(visible.size(), 1 + rng.below(3)));
        QStringList picked;
        for (int i = 0; i < k; ++i) {
            const int c = weightedPick(rng, visible, *list);
            visible.removeOne(c);
            picked.append(list->choices[c].name);
            if (visible.isEmpty())
                break;
        }
        // Stored in list order, as the tablet does.
        QStringList ordered;
        for (const Choice &c : list->choices) {
            if (picked.contains(c.name))
                ordered.append(c.name);
        }
        return ordered.join(QLatin1Char(' '));
    }
    case QuestionType::Integer:
        return QString::number(rng.chance(0.5) ? rng.below(12) : rng.below(60));
    case QuestionType::Decimal:
        return BatchCodec::formatDouble(double(rng.below(1000)) / 10.0);
    case QuestionType::Date:
        return QDate(2021, 1, 1).addDays(rng.below(5 * 365)).toString(Qt::ISODate);
    case QuestionType::Time:
        return BatchCodec::formatTime(quint32(rng.below(24 * 3600)) * 1000);
    case QuestionType::DateTime:
        return BatchCodec::formatDateTime(QDateTime(QDate(2026, 9, 1), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch()
                                              + rng.below(60LL * 24 * 3600) * 1000, 0);
    case QuestionType::Geopoint:
        return QStringLiteral("%1 %2 0 %3")
            .arg(BatchCodec::formatDouble(std::round((53.46 + rng.normalish() * 0.004) * 1e6) / 1e6),
                 BatchCodec::formatDouble(std::round((-2.23 + rng.normalish() * 0.006) * 1e6) / 1e6),
                 BatchCodec::formatDouble(double(3 + rng.below(20))));
    case QuestionType::Rank: { // every shown choice, in a random order
        QList<int> visible = iv.visibleChoices(key);
        QStringList order;
        while (list && !visible.isEmpty())
            order.append(list->choices[visible.takeAt(int(rng.below(visible.size())))].name);
        return order.join(QLatin1Char(' '));
    }
    case QuestionType::Geotrace:
    case QuestionType::Geoshape: { // a walk of a few points around one spot, a shape closed
        const bool shape = q.type == QuestionType::Geoshape;
        const double lat = 53.46 + rng.normalish() * 0.004, lon = -2.23 + rng.normalish() * 0.006;
        QStringList points;
        const qint64 n = (shape ? 3 : 2) + rng.below(3);
        for (qint64 i = 0; i < n; ++i)
            points.append(QStringLiteral("%1 %2 0 %3")
                              .arg(BatchCodec::formatDouble(std::round((lat + std::cos(i * 2.0) * 0.0005) * 1e6) / 1e6),
                                   BatchCodec::formatDouble(std::round((lon + std::sin(i * 2.0) * 0.0008) * 1e6) / 1e6),
                                   BatchCodec::formatDouble(double(3 + rng.below(20)))));
        if (shape)
            points.append(points.first());
        return points.join(QLatin1Char(';'));
    }
    case QuestionType::Text:
        return QString::fromUtf8(kComments[rng.below(std::size(kComments))]);
    default:
        return {};
    }
}

} // namespace

QMap<QString, QString> Simulator::driveInterview(const Form &form, quint64 seed, double refusalRate, bool *refused)
{
    Rng rng(seed);
    Interview iv(form, form.defaultLanguage);
    iv.setClock([] { return QDateTime(QDate(2026, 10, 1), QTime(12, 0), Qt::UTC); });
    iv.applyDefaults();
    for (int page = iv.firstPage(); page >= 0;) {
        // A copy: answering a repeat's count, or adding an instance, lays the pages out anew.
        const Page p = iv.page(page);
        if (p.kind == Page::Kind::RepeatEnd) {
            // "Add another?": yes with a falling chance, so households have 0 to a few
            // instances (kSimMaxInstances at most) and the tables' row counts vary.
            const int have = iv.instanceCount(repeatpath::countKey(form, p.repeat, p.instance));
            if (have < kSimMaxInstances && rng.chance(have == 0 ? 0.7 : 0.45)) {
                const int first = iv.addInstance(page);
                if (first >= 0) {
                    page = first;
                    continue;
                }
            }
            page = iv.nextPage(page);
            continue;
        }
        for (int i = 0; i < p.questions.size(); ++i) {
            const Question &q = form.questions[p.questions[i]];
            const QString &key = p.keys[i];
            if (!iv.isRelevant(key) || !isInputType(q.type) || q.readOnly)
                continue;
            if (q.type == QuestionType::Consent) {
                iv.setAnswer(key, rng.chance(refusalRate) ? QStringLiteral("no") : QStringLiteral("yes"));
                continue;
            }
            const bool optional = !q.requiredAlways && q.required.isNull();
            // Optional questions are often skipped; free text more often than not.
            if (optional && rng.chance(q.type == QuestionType::Text ? 0.7 : 0.15))
                continue;
            for (int attempt = 0; attempt < 30; ++attempt) {
                const QString value = candidate(iv, q, key, rng);
                if (!value.isEmpty() && iv.checkValue(key, value).ok()) {
                    iv.setAnswer(key, value);
                    break;
                }
            }
        }
        page = iv.nextPage(page);
    }
    *refused = iv.isRefusal();
    if (!iv.canFinalise())
        return {};
    return iv.finalAnswers();
}

Simulator::Simulator(CollectorStore &store, const Form &form, const QByteArray &formJson, const SimulateOptions &options)
    : m_store(store), m_form(form), m_formJson(formJson), m_options(options)
{
}

SimulateResult Simulator::run()
{
    const SimulateOptions &o = m_options;
    SimulateResult result;
    Rng rng(o.seed);
    const QDateTime setupTime(QDate(2026, 9, 1), QTime(8, 0), Qt::UTC);

    // Case studies, the form, devices -------------------------------------------------------------
    struct Site
    {
        QString id;
        double latitude, longitude;
        QStringList devices, enumerators;
        QList<quint64> sequence;
        std::shared_ptr<FieldworkSim> fieldwork; // its area and quotas, when it has them
    };
    QList<Site> sites;
    QSet<QString> existing;
    for (const CaseStudyRecord &c : m_store.caseStudies())
        existing.insert(c.id);
    QStringList ids;
    // Without a number of case studies: the ones in the database, as they are.
    QStringList given;
    if (o.caseStudies <= 0) {
        for (const CaseStudyRecord &c : m_store.caseStudies())
            given.append(c.id);
        if (given.isEmpty())
            throw CollectorError(CollectorError::Code::Invalid,
                                 QStringLiteral("the database has no case study to fill (kerbside casestudy add, or give --case-studies N)"));
    }
    const int siteCount = o.caseStudies <= 0 ? int(given.size()) : o.caseStudies;
    for (int i = 0; i < siteCount; ++i) {
        Site s;
        const Place &p = kPlaces[size_t(i) % kPlaces.size()];
        const int round = i / int(kPlaces.size());
        s.id = round ? QStringLiteral("%1-%2").arg(QLatin1String(p.id)).arg(round + 1) : QString::fromLatin1(p.id);
        s.latitude = p.latitude + round * 0.05; // later rounds: a few km north
        s.longitude = p.longitude;
        if (!given.isEmpty())
            s.id = given[i];
        s.fieldwork = std::make_shared<FieldworkSim>(m_store, s.id);
        if (s.fieldwork->hasArea()) {
            s.latitude = s.fieldwork->centre().lat;
            s.longitude = s.fieldwork->centre().lon;
        }
        if (!existing.contains(s.id))
            m_store.addCaseStudy(s.id, round ? QStringLiteral("%1 %2").arg(QLatin1String(p.name)).arg(round + 1)
                                             : QString::fromLatin1(p.name));
        for (int d = 0; d < o.devicesPerCaseStudy; ++d) {
            const QString device = QStringLiteral("sim-%1-%2").arg(s.id).arg(d + 1);
            s.devices.append(device);
            s.enumerators.append(QStringLiteral("fw-%1-%2").arg(s.id).arg(d + 1));
            if (!m_store.device(device)) {
                const QByteArray code = QCryptographicHash::hash("sim-code-" + device.toUtf8(), QCryptographicHash::Sha256);
                m_store.addEnrolmentCode({code, s.id, setupTime, setupTime.addDays(365)});
                m_store.redeemEnrolmentCode(code, setupTime, device,
                                            QCryptographicHash::hash("sim-token-" + device.toUtf8(), QCryptographicHash::Sha256),
                                            QStringLiteral("Simulated tablet %1").arg(d + 1));
            }
            const QList<quint64> seqs = m_store.sequences(device);
            s.sequence.append(seqs.isEmpty() ? 0 : seqs.last());
        }
        ids.append(s.id);
        sites.append(s);
    }
    PublishedFormRecord published;
    published.formId = m_form.id;
    published.version = m_form.version;
    published.title = m_form.title.text(m_form.defaultLanguage);
    published.json = m_formJson;
    published.sha256 = QCryptographicHash::hash(m_formJson, QCryptographicHash::Sha256);
    published.published = setupTime;
    m_store.publishForm(published, ids);

    // The pool of driven interviews ---------------------------------------------------------------
    QElapsedTimer timer;
    timer.start();
    struct Pooled
    {
        QMap<QString, QString> answers;
        bool refused = false;
    };
    QList<Pooled> pool;
    const qint64 poolSize = std::max<qint64>(1, std::min<qint64>(o.poolSize, o.responses));
    for (qint64 i = 0; pool.size() < poolSize && i < poolSize * 4; ++i) {
        Pooled p;
        p.answers = driveInterview(m_form, rng.next(), o.refusalRate, &p.refused);
        if (p.answers.isEmpty() && !p.refused) {
            ++result.poolRejected;
            continue;
        }
        pool.append(p);
    }
    if (pool.isEmpty())
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("form %1: no simulated interview could be finalised").arg(m_form.id));
    result.pool = int(pool.size());
    result.poolSeconds = timer.nsecsElapsed() / 1e9;

    // Fieldwork: 12 weeks from Monday 2026-09-07, weekdays 09:30-19:00 UK time -------------------
    const QTimeZone london("Europe/London");
    constexpr int kWeeks = 12;
    QList<qint64> dayStartUtcMs; // 09:30 local, as UTC ms
    for (int w = 0; w < kWeeks; ++w) {
        for (int d = 0; d < 5; ++d) {
            const QDate date = QDate(2026, 9, 7).addDays(w * 7 + d);
            dayStartUtcMs.append(QDateTime(date, QTime(9, 30), london.isValid() ? london : QTimeZone::utc())
                                     .toMSecsSinceEpoch());
        }
    }
    const BatchCodec::TypeLookup types = BatchCodec::typesFrom({&m_form});

    struct Outbox
    {
        OutboxBatch batch;
        QDateTime latest;
    };
    QHash<QString, Outbox> outboxes;
    timer.restart();
    auto flush = [&](int siteIndex, int deviceIndex) {
        Site &s = sites[siteIndex];
        Outbox &box = outboxes[s.devices[deviceIndex]];
        if (box.batch.responses.isEmpty() && box.batch.contacts.isEmpty())
            return;
        BatchHeader h;
        h.batchUuid = rng.uuid(box.latest);
        h.deviceId = s.devices[deviceIndex];
        h.sequence = ++s.sequence[deviceIndex];
        h.created = box.latest.addSecs(600);
        h.appVersion = QStringLiteral("kerbside-simulate");
        const QByteArray raw = BatchCodec::encode(h, box.batch, types);
        const IncomingBatch decoded = BatchCodec::decode(raw);
        const MergeResult merged = m_store.mergeBatch(decoded, raw, QStringLiteral("usb"), h.created.addSecs(3600));
        result.rejected += merged.count(MergeOutcome::Rejected);
        for (const ItemResult &item : merged.responses) {
            if (item.outcome == MergeOutcome::Rejected && result.firstRejection.isEmpty())
                result.firstRejection = item.reason;
        }
        s.fieldwork->synced(h.deviceId);
        result.responses += box.batch.responses.size();
        result.contacts += box.batch.contacts.size();
        ++result.batches;
        box = Outbox{};
    };

    // Interviews happen, and reach the collector, in time order: drawn first, then sorted.
    // With time-slot quotas anywhere, fieldwork spreads over all seven days, 06:30-21:30.
    const bool withSlots = std::any_of(sites.begin(), sites.end(), [](const Site &s) { return s.fieldwork->hasTimeslots(); });
    if (withSlots) {
        dayStartUtcMs.clear();
        for (int d = 0; d < kWeeks * 7; ++d)
            dayStartUtcMs.append(QDateTime(QDate(2026, 9, 7).addDays(d), QTime(6, 30), london.isValid() ? london : QTimeZone::utc())
                                     .toMSecsSinceEpoch());
    }
    const qint64 dayMinutes = withSlots ? 900 : 570;
    std::vector<qint64> startsMs(size_t(std::max<qint64>(0, o.responses)));
    for (qint64 &startMs : startsMs)
        startMs = dayStartUtcMs[int(rng.below(dayStartUtcMs.size()))] + rng.below(dayMinutes * 60) * 1000;
    QList<QMap<QString, QString>> poolAnswers;
    for (const Pooled &p : pool)
        poolAnswers.append(p.answers);
    const FieldworkSim::Uniform uniform = [&rng] { return rng.real(); };
    std::sort(startsMs.begin(), startsMs.end());
    for (qint64 i = 0; i < o.responses; ++i) {
        const int si = int(rng.below(sites.size()));
        const int di = int(rng.below(o.devicesPerCaseStudy));
        Site &s = sites[si];
        const qint64 startMs = startsMs[size_t(i)];
        const QDateTime started = QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC);
        const int utcOffset = london.isValid() ? london.offsetFromUtc(started) : 0; // the tablets' zone
        const Pooled &p = pool[s.fieldwork->hasPlan() ? s.fieldwork->pick(poolAnswers, started, utcOffset, s.devices[di], uniform)
                                                      : int(rng.below(pool.size()))];
        if (!p.refused)
            s.fieldwork->taken(s.devices[di], p.answers, started, utcOffset);
        const qint64 durationS = p.refused ? 10 + rng.below(40) : 120 + rng.below(241);
        // About one interview in 29 is broken off after consent (a partial): it keeps the answers
        // of the first half of the questions. Chosen by position, so the random stream is unchanged.
        const bool partial = !p.refused && i % 29 == 13;

        Response r;
        ResponseMeta &m = r.meta;
        m.uuid = rng.uuid(QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC));
        m.formId = m_form.id;
        m.formVersion = m_form.version;
        m.caseStudy = s.id;
        m.enumerator = s.enumerators[di];
        m.deviceId = s.devices[di];
        m.status = p.refused ? ResponseStatus::Refused : partial ? ResponseStatus::Partial : ResponseStatus::Complete;
        m.revision = 1;
        m.started = QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC);
        m.startedUtcOffset = utcOffset; // as the time slots were judged above
        m.ended = m.started.addSecs(durationS);
        m.updated = m.ended;
        if (s.fieldwork->hasArea()) { // inside the area, about 5% a few hundred metres outside
            const geo::LonLat at = s.fieldwork->position(uniform);
            m.location.latitude = std::round(at.lat * 1e7) / 1e7;
            m.location.longitude = std::round(at.lon * 1e7) / 1e7;
        } else { // a few hundred metres around the centre (about 150 m standard deviation)
            m.location.latitude = std::round((s.latitude + rng.normalish() * 0.0027) * 1e7) / 1e7;
            m.location.longitude = std::round((s.longitude + rng.normalish() * 0.0045) * 1e7) / 1e7;
        }
        m.location.accuracy = double(3 + rng.below(23));
        m.location.time = m.started;
        m.language = rng.chance(0.1) ? QStringLiteral("pl") : m_form.defaultLanguage;
        m.cursor = QString();
        r.answers = p.answers;
        if (partial) {
            const int half = int(p.answers.size()) / 2;
            int kept = 0;
            QMap<QString, QString> first;
            for (const Question &q : m_form.questions) {
                const auto a = p.answers.constFind(q.name);
                if (a == p.answers.constEnd())
                    continue;
                if (kept++ >= half)
                    break;
                first.insert(q.name, *a);
            }
            r.answers = first;
        }
        QList<ParadataEvent> paradata;
        if (!m_form.questions.isEmpty())
            paradata.append({m.uuid, m.started, ParadataEvent::Kind::Shown, m_form.questions.first().name, {}});
        paradata.append({m.uuid, m.ended, ParadataEvent::Kind::Finalised, {}, {}});

        Outbox &box = outboxes[m.deviceId];
        box.batch.responses.append(r);
        box.batch.paradata.append(paradata);
        if (!box.latest.isValid() || m.ended > box.latest)
            box.latest = m.ended;

        if (rng.chance(o.contactsPerResponse)) {
            ContactEntry c;
            c.caseStudy = s.id;
            c.enumerator = m.enumerator;
            c.deviceId = m.deviceId;
            c.time = m.started.addSecs(-60 - rng.below(1200));
            c.uuid = rng.uuid(c.time);
            c.location.latitude = std::round((m.location.latitude + rng.normalish() * 0.0005) * 1e7) / 1e7;
            c.location.longitude = std::round((m.location.longitude + rng.normalish() * 0.0008) * 1e7) / 1e7;
            c.location.accuracy = double(3 + rng.below(23));
            c.location.time = c.time;
            const double d = rng.real();
            c.disposition = d < 0.55 ? Disposition::Refused
                          : d < 0.70 ? Disposition::NotResident
                          : d < 0.82 ? Disposition::ComeBackLater
                          : d < 0.90 ? Disposition::Ineligible
                          : d < 0.95 ? Disposition::LanguageBarrier : Disposition::Other;
            if (rng.chance(0.7)) {
                c.ageBand = QString::fromLatin1(kAgeBands[rng.below(std::size(kAgeBands))]);
                c.gender = QString::fromLatin1(kGenders[rng.below(std::size(kGenders))]);
            }
            if (rng.chance(0.1))
                c.note = QString::fromLatin1(kNotes[rng.below(std::size(kNotes))]);
            box.batch.contacts.append(c);
        }
        if (box.batch.responses.size() >= o.batchSize)
            flush(si, di);
        if (m_progress && (i + 1) % 10000 == 0)
            m_progress(i + 1);
    }
    for (int si = 0; si < sites.size(); ++si) {
        for (int di = 0; di < o.devicesPerCaseStudy; ++di)
            flush(si, di);
    }
    result.mergeSeconds = timer.nsecsElapsed() / 1e9;
    result.caseStudies = int(sites.size());
    return result;
}

} // namespace kerbside
