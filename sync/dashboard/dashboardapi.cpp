// SPDX-License-Identifier: Apache-2.0
// Dashboard: the JSON handlers under /api/v1/ (thin: each reads CollectorStore and answers).
#include "dashboard.h"
#include "tally.h"

#include "credentials.h"
#include "collectorstore.h"
#include "gridcounters.h"
#include "form/formloader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QRegularExpression>

#include <cmath>
#include <functional>

namespace kerbside::dashboard {

namespace {

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonValue realJson(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

WebResponse forbidden()
{
    return error(403, QStringLiteral("an analyst can read and export, not change the fieldwork"));
}

QJsonObject deviceJson(const DeviceRecord &d)
{
    return QJsonObject{{QStringLiteral("id"), d.id}, {QStringLiteral("label"), d.label},
                       {QStringLiteral("caseStudies"), QJsonArray::fromStringList(d.caseStudies)},
                       {QStringLiteral("enrolled"), timeJson(d.enrolled)}, {QStringLiteral("revoked"), timeJson(d.revoked)},
                       {QStringLiteral("lastSeen"), timeJson(d.lastSeen)}, {QStringLiteral("lastSync"), timeJson(d.lastBatch)},
                       {QStringLiteral("batches"), d.batches}, {QStringLiteral("responses"), d.responses},
                       {QStringLiteral("contacts"), d.contacts}, {QStringLiteral("missingBatches"), d.missingSequences}};
}

// The questions marked sensitive in the form version an interview used (empty when that
// version is not published to its case study).
QSet<QString> sensitiveQuestions(CollectorStore &store, const QString &caseStudy, const QString &formId, const QString &version)
{
    QSet<QString> out;
    for (const PublishedFormRecord &f : store.forms({caseStudy})) {
        if (f.formId != formId || f.version != version)
            continue;
        const FormLoadResult loaded = FormLoader::loadJson(f.json, f.formId);
        if (loaded.ok()) {
            for (const Question &q : loaded.form->questions) {
                if (q.sensitive)
                    out.insert(q.name);
            }
        }
        break;
    }
    return out;
}

QJsonObject interviewJson(const InterviewRow &i)
{
    QJsonObject o{{QStringLiteral("uuid"), i.uuid}, {QStringLiteral("caseStudy"), i.caseStudy},
                  {QStringLiteral("form"), i.formId}, {QStringLiteral("formVersion"), i.formVersion},
                  {QStringLiteral("fieldworker"), i.enumerator}, {QStringLiteral("device"), i.deviceId},
                  {QStringLiteral("status"), i.status}, {QStringLiteral("revision"), i.revision},
                  {QStringLiteral("started"), timeJson(i.started)}, {QStringLiteral("ended"), timeJson(i.ended)},
                  {QStringLiteral("latitude"), realJson(i.latitude)}, {QStringLiteral("longitude"), realJson(i.longitude)},
                  {QStringLiteral("review"), i.review.isEmpty() ? QJsonValue() : QJsonValue(i.review)},
                  {QStringLiteral("reviewComment"), i.reviewComment}, {QStringLiteral("reviewer"), i.reviewer}};
    if (i.started.isValid() && i.ended.isValid())
        o.insert(QStringLiteral("seconds"), double(i.started.msecsTo(i.ended)) / 1000.0);
    return o;
}

// The per-question threshold (?questionSeconds=, 0.1 to 600 s).
double questionSeconds(const WebRequest &request, double fallback)
{
    bool ok = false;
    const double v = request.query.value(QStringLiteral("questionSeconds")).toDouble(&ok);
    return ok && std::isfinite(v) ? std::clamp(v, 0.1, 600.0) : fallback;
}

QStringList splitParam(const QString &v)
{
    QStringList out;
    for (const QString &s : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
        out.append(s.trimmed());
    return out;
}

} // namespace

WebResponse Dashboard::api(const WebRequest &request, const Caller &who)
{
    const QString path = request.path.mid(7); // after "/api/v1"
    const bool get = request.method == QLatin1String("GET");
    const bool post = request.method == QLatin1String("POST");
    static const QRegularExpression caseStudyRe(QStringLiteral("^/casestudies/([A-Za-z0-9_.-]{1,64})(/map)?$"));
    static const QRegularExpression deviceRe(QStringLiteral("^/devices/([A-Za-z0-9_.-]{1,64})/revoke$"));
    static const QRegularExpression interviewRe(QStringLiteral("^/interviews/([0-9a-fA-F-]{1,64})(/review)?$"));
    static const QRegularExpression conflictRe(QStringLiteral("^/conflicts/([0-9]{1,18})/resolve$"));
    static const QRegularExpression exportRe(QStringLiteral("^/exports/([0-9a-f]{32})(/zip)?$"));

    if (path == QLatin1String("/session") && get) return sessionInfo(who);
    if (path == QLatin1String("/logout") && post) return logout(request, who);
    if (path == QLatin1String("/password") && post) return changePassword(request, who);
    if (path == QLatin1String("/overview") && get) return overview(who);
    if (path == QLatin1String("/fieldworkers") && get) return fieldworkers(request, who);
    if (path == QLatin1String("/devices") && get) return tablets(who);
    if (path == QLatin1String("/enrolments") && post) return enrol(request, who);
    if (path == QLatin1String("/interviews") && get) return interviewList(request, who);
    if (path == QLatin1String("/conflicts") && get) return conflictList(who);
    if (path == QLatin1String("/forms") && get) return formList(who);
    if (path == QLatin1String("/forms") && post) return formUpload(request, who);
    if (path == QLatin1String("/export.zip") && get) return exportZip(request, who);
    if (path == QLatin1String("/exports") && post) return exportStart(request, who);
    if (const auto m = exportRe.match(path); m.hasMatch() && get) return exportJob(who, m.captured(1), m.capturedLength(2) > 0);
    if (const auto m = caseStudyRe.match(path); m.hasMatch() && get)
        return m.capturedLength(2) ? map(request, who, m.captured(1)) : caseStudy(who, m.captured(1));
    if (const auto m = deviceRe.match(path); m.hasMatch() && post) return revoke(who, m.captured(1));
    if (const auto m = interviewRe.match(path); m.hasMatch()) {
        if (m.capturedLength(2) && post) return review(request, who, m.captured(1).toLower());
        if (!m.capturedLength(2) && get) return interviewDetail(who, m.captured(1).toLower());
    }
    if (const auto m = conflictRe.match(path); m.hasMatch() && post) return resolve(request, who, m.captured(1).toLongLong());
    return error(404, QStringLiteral("no such API route"));
}

WebResponse Dashboard::overview(const Caller &who)
{
    const QStringList visible = visibleCaseStudies(who);
    QMap<QString, Tally> tallies;
    if (!visible.isEmpty()) {
        for (const CounterRow &c : m_store.counters(visible, false, false))
            tallies[c.caseStudy].add(c.kind, c.n);
    }
    QMap<QString, QJsonArray> tabletsOf;
    for (const DeviceRecord &d : m_store.deviceSyncs()) {
        for (const QString &cs : d.caseStudies) {
            if (visible.contains(cs))
                tabletsOf[cs].append(QJsonObject{{QStringLiteral("id"), d.id}, {QStringLiteral("label"), d.label},
                                                 {QStringLiteral("lastSync"), timeJson(d.lastBatch)},
                                                 {QStringLiteral("revoked"), d.isRevoked()}});
        }
    }
    const QHash<QString, QJsonObject> quotaOf = quotas(visible);
    QJsonArray rows;
    Tally total;
    qint64 totalTarget = 0;
    for (const CaseStudyRecord &c : m_store.caseStudies()) {
        if (!visible.contains(c.id))
            continue;
        const Tally t = tallies.value(c.id);
        total.add(t);
        QJsonObject row = t.toJson();
        row.insert(QStringLiteral("id"), c.id);
        row.insert(QStringLiteral("name"), c.name);
        // The target is the quota plan's total; its cells are the bars, most needed first.
        const auto q = quotaOf.constFind(c.id);
        row.insert(QStringLiteral("target"), q == quotaOf.constEnd() ? QJsonValue() : q->value(QStringLiteral("totalTarget")));
        row.insert(QStringLiteral("quota"), q == quotaOf.constEnd() ? QJsonValue() : QJsonValue(*q));
        totalTarget += q == quotaOf.constEnd() ? 0 : q->value(QStringLiteral("totalTarget")).toInteger();
        row.insert(QStringLiteral("tablets"), tabletsOf.value(c.id));
        rows.append(row);
    }
    QJsonObject totals = total.toJson();
    totals.insert(QStringLiteral("target"), totalTarget ? QJsonValue(totalTarget) : QJsonValue());
    return json(200, QJsonObject{{QStringLiteral("caseStudies"), rows}, {QStringLiteral("total"), totals},
                                 {QStringLiteral("generated"), timeJson(QDateTime::currentDateTimeUtc())}});
}

WebResponse Dashboard::caseStudy(const Caller &who, const QString &id)
{
    if (!who.user.sees(id) || !visibleCaseStudies(who).contains(id))
        return error(404, QStringLiteral("no such case study"));
    QString name;
    for (const CaseStudyRecord &c : m_store.caseStudies()) {
        if (c.id == id)
            name = c.name;
    }
    Tally all;
    QMap<QString, Tally> perFieldworker, perDay;
    for (const CounterRow &c : m_store.counters({id}, true, false)) {
        perFieldworker[c.enumerator].add(c.kind, c.n);
        all.add(c.kind, c.n);
    }
    for (const CounterRow &c : m_store.counters({id}, false, true))
        perDay[c.day].add(c.kind, c.n);
    QJsonArray fieldworkers, days;
    for (auto it = perFieldworker.constBegin(); it != perFieldworker.constEnd(); ++it) {
        QJsonObject o = it.value().toJson();
        o.insert(QStringLiteral("fieldworker"), it.key());
        fieldworkers.append(o);
    }
    for (auto it = perDay.constBegin(); it != perDay.constEnd(); ++it) {
        QJsonObject o = it.value().toJson();
        o.insert(QStringLiteral("day"), it.key());
        days.append(o);
    }
    QJsonObject o = all.toJson();
    o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("name"), name);
    o.insert(QStringLiteral("fieldworkers"), fieldworkers);
    o.insert(QStringLiteral("days"), days);
    o.insert(QStringLiteral("area"), areaJson(id));
    PlaceCount places;
    for (const PlaceCount &p : placeCounts({id}))
        places.add(p);
    o.insert(QStringLiteral("places"), places.toJson());
    o.insert(QStringLiteral("timeSlots"), timeSlots(id));
    if (const std::optional<GeoBox> e = m_store.mapExtent(id))
        o.insert(QStringLiteral("extent"), QJsonObject{{QStringLiteral("south"), e->south}, {QStringLiteral("west"), e->west},
                                                       {QStringLiteral("north"), e->north}, {QStringLiteral("east"), e->east}});
    const QHash<QString, QJsonObject> quota = quotas({id});
    o.insert(QStringLiteral("quota"), quota.contains(id) ? QJsonValue(quota.value(id)) : QJsonValue());
    return json(200, o);
}

WebResponse Dashboard::map(const WebRequest &request, const Caller &who, const QString &id)
{
    if (!who.user.sees(id))
        return error(404, QStringLiteral("no such case study"));
    GeoBox box;
    const QStringList b = splitParam(request.query.value(QStringLiteral("bbox")));
    if (b.size() == 4) {
        bool ok[4];
        const double v[4] = {b[0].toDouble(&ok[0]), b[1].toDouble(&ok[1]), b[2].toDouble(&ok[2]), b[3].toDouble(&ok[3])};
        if (!(ok[0] && ok[1] && ok[2] && ok[3]))
            return error(400, QStringLiteral("bbox wants south,west,north,east in degrees"));
        box = GeoBox{std::clamp(v[0], -90.0, 90.0), std::clamp(v[1], -180.0, 180.0),
                     std::clamp(v[2], -90.0, 90.0), std::clamp(v[3], -180.0, 180.0)};
    }
    const int zoom = std::clamp(request.query.value(QStringLiteral("zoom"), QStringLiteral("0")).toInt(), 0, 22);
    // Points only when zoomed in and few enough (the grid counters say so before any row is
    // read); otherwise counts per cell of 32 to 128 px, from the counters kept at merge.
    constexpr int kMaxPoints = 5000;
    if (zoom >= 12 && m_store.gridTotal(id, box, zoom) <= kMaxPoints) {
        const AreaHistory area(m_store.caseStudyAreas(id));
        QJsonArray out;
        for (const MapPoint &p : m_store.mapPoints(id, box, kMaxPoints)) // the last: inside, outside or unknown (no area)
            out.append(QJsonArray{p.uuid, p.latitude, p.longitude, p.status, p.enumerator,
                                  QString::fromLatin1(placeName(area.judge(p.started, p.latitude, p.longitude)))});
        return json(200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("points")}, {QStringLiteral("points"), out}});
    }
    double cell = 0;
    QJsonArray out;
    for (const MapCell &c : m_store.gridCells(id, box, zoom, &cell))
        out.append(QJsonArray{c.latitude, c.longitude, c.count, c.inside, c.outside, c.contacts});
    return json(200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("cells")}, {QStringLiteral("cellDegrees"), cell},
                                 {QStringLiteral("cells"), out}});
}

WebResponse Dashboard::fieldworkers(const WebRequest &request, const Caller &who)
{
    QStringList visible = visibleCaseStudies(who);
    const QString only = request.query.value(QStringLiteral("caseStudy"));
    if (!only.isEmpty())
        visible = visible.contains(only) ? QStringList{only} : QStringList{};
    if (visible.isEmpty())
        return json(200, QJsonObject{{QStringLiteral("fieldworkers"), QJsonArray()}, {QStringLiteral("days"), QJsonArray()}});
    const int tooFast = std::clamp(request.query.value(QStringLiteral("tooFast"), QString::number(m_options.tooFastSeconds)).toInt(), 1, 86400);
    const int manyChanges = std::clamp(request.query.value(QStringLiteral("manyChanges"), QStringLiteral("20")).toInt(), 1, 100000);
    const double fastQuestion = questionSeconds(request, m_options.fastQuestionSeconds);
    const QMap<QString, QuestionTimes> times = questionTimes(visible, fastQuestion);
    // One fieldworker (?fieldworker=): their days get a median length too.
    const QString one = request.query.value(QStringLiteral("fieldworker")).left(200);
    auto flags = [](QJsonObject *o, const FieldworkerStats &f) {
        o->insert(QStringLiteral("interviewsTimed"), f.interviews);
        o->insert(QStringLiteral("medianSeconds"), f.medianMs ? QJsonValue(double(f.medianMs) / 1000.0) : QJsonValue());
        o->insert(QStringLiteral("tooFast"), f.tooFast);
        o->insert(QStringLiteral("manyChanges"), f.manyChanges);
        o->insert(QStringLiteral("outsideArea"), f.outsideArea);
        o->insert(QStringLiteral("noFix"), f.noFix);
    };
    QJsonArray rows;
    for (const FieldworkerStats &f : m_store.fieldworkerStats(visible, qint64(tooFast) * 1000, manyChanges, false, one)) {
        const QuestionTimes t = times.value(f.enumerator);
        QJsonObject o{{QStringLiteral("fieldworker"), f.enumerator}, {QStringLiteral("interviews"), f.interviews},
                      {QStringLiteral("questionMedianSeconds"), t.interviews ? QJsonValue(t.medianSeconds) : QJsonValue()},
                      {QStringLiteral("fastQuestions"), t.fast}};
        flags(&o, f);
        rows.append(o);
    }
    QMap<QPair<QString, QString>, FieldworkerStats> dayFlags;
    for (const FieldworkerStats &f : m_store.fieldworkerStats(visible, qint64(tooFast) * 1000, manyChanges, true, one))
        dayFlags.insert({f.enumerator, f.day}, f);
    QJsonArray days;
    QMap<QPair<QString, QString>, Tally> perDay;
    for (const CounterRow &c : m_store.counters(visible, true, true)) {
        if (one.isEmpty() || c.enumerator == one)
            perDay[{c.enumerator, c.day}].add(c.kind, c.n);
    }
    for (auto it = perDay.constBegin(); it != perDay.constEnd(); ++it) {
        QJsonObject o = it.value().toJson();
        o.insert(QStringLiteral("fieldworker"), it.key().first);
        o.insert(QStringLiteral("day"), it.key().second);
        flags(&o, dayFlags.value(it.key()));
        days.append(o);
    }
    return json(200, QJsonObject{{QStringLiteral("tooFastSeconds"), tooFast}, {QStringLiteral("manyChanges"), manyChanges},
                                 {QStringLiteral("fastQuestionSeconds"), fastQuestion},
                                 {QStringLiteral("fieldworkers"), rows}, {QStringLiteral("days"), days}});
}

WebResponse Dashboard::tablets(const Caller &who)
{
    QHash<QString, DeviceVersions> versions;
    for (const DeviceVersions &v : m_store.deviceVersions())
        versions.insert(v.deviceId, v);
    QJsonArray out;
    for (const DeviceRecord &d : m_store.devices()) {
        bool visible = false;
        for (const QString &cs : d.caseStudies)
            visible = visible || who.user.sees(cs);
        if (!visible)
            continue;
        QJsonObject o = deviceJson(d);
        const DeviceVersions v = versions.value(d.id);
        o.insert(QStringLiteral("appVersion"), v.appVersion.isEmpty() ? QJsonValue() : QJsonValue(v.appVersion));
        o.insert(QStringLiteral("forms"), QJsonArray::fromStringList(v.forms));
        // Completes the tablet still held after its last sync, as it reported them then, less
        // those merged since (a USB import, say). A tablet reports only when it syncs over the
        // network: one that never did (lastSeen empty) has reported nothing.
        o.insert(QStringLiteral("pending"), d.lastSeen.isValid() || v.reported.isValid() ? QJsonValue(v.pending) : QJsonValue());
        o.insert(QStringLiteral("pendingReported"), timeJson(v.reported));
        out.append(o);
    }
    return json(200, QJsonObject{{QStringLiteral("devices"), out}});
}

WebResponse Dashboard::enrol(const WebRequest &request, const Caller &who)
{
    if (!who.coordinator())
        return forbidden();
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString cs = body.value(QStringLiteral("caseStudy")).toString();
    const int hours = body.value(QStringLiteral("hours")).toInt(168);
    if (!who.user.sees(cs) || !visibleCaseStudies(who).contains(cs))
        return error(404, QStringLiteral("no such case study"));
    if (hours < 1 || hours > 24 * 90)
        return error(400, QStringLiteral("hours: 1 to 2160"));
    const QString code = Credentials::newEnrolmentCode();
    EnrolmentCodeRecord record{Credentials::hash(code), cs, QDateTime::currentDateTimeUtc(), {}};
    record.expires = record.created.addSecs(qint64(hours) * 3600);
    m_store.addEnrolmentCode(record);
    return json(200, QJsonObject{{QStringLiteral("code"), Credentials::formatCode(code)}, {QStringLiteral("caseStudy"), cs},
                                 {QStringLiteral("expires"), timeJson(record.expires)}});
}

WebResponse Dashboard::revoke(const Caller &who, const QString &id)
{
    if (!who.coordinator())
        return forbidden();
    const std::optional<DeviceRecord> d = m_store.device(id);
    bool visible = false;
    if (d) {
        for (const QString &cs : d->caseStudies)
            visible = visible || who.user.sees(cs);
    }
    if (!visible)
        return error(404, QStringLiteral("no such tablet"));
    m_store.revokeDevice(id, QDateTime::currentDateTimeUtc());
    return json(200, deviceJson(*m_store.device(id)));
}

WebResponse Dashboard::interviewList(const WebRequest &request, const Caller &who)
{
    InterviewFilter f;
    const QString cs = request.query.value(QStringLiteral("caseStudy"));
    f.caseStudies = visibleCaseStudies(who);
    if (!cs.isEmpty())
        f.caseStudies = f.caseStudies.contains(cs) ? QStringList{cs} : QStringList{};
    if (f.caseStudies.isEmpty())
        return json(200, QJsonObject{{QStringLiteral("interviews"), QJsonArray()}});
    f.enumerator = request.query.value(QStringLiteral("fieldworker"));
    f.status = request.query.value(QStringLiteral("status"));
    f.review = request.query.value(QStringLiteral("review"));
    f.day = request.query.value(QStringLiteral("day"));
    const QString flag = request.query.value(QStringLiteral("flag"));
    if (flag == QLatin1String("too_fast"))
        f.shorterThanMs = qint64(std::clamp(request.query.value(QStringLiteral("tooFast"), QString::number(m_options.tooFastSeconds)).toInt(), 1, 86400)) * 1000;
    else if (flag == QLatin1String("many_changes"))
        f.moreChangesThan = std::clamp(request.query.value(QStringLiteral("manyChanges"), QStringLiteral("20")).toInt(), 1, 100000);
    f.limit = std::clamp(request.query.value(QStringLiteral("limit"), QStringLiteral("100")).toInt(), 1, 1000);
    f.offset = std::max(0, request.query.value(QStringLiteral("offset")).toInt());
    // The flags are kept at merge (casecounters.cpp): filtered in SQL, one page read.
    if (flag == QLatin1String("outside_area"))
        f.outsideArea = true;
    else if (flag == QLatin1String("no_fix"))
        f.noFix = true;
    else if (flag == QLatin1String("fast_questions"))
        f.fastQuestionMs = std::max<qint64>(1, std::llround(questionSeconds(request, m_options.fastQuestionSeconds) * 1000));
    else if (!flag.isEmpty() && flag != QLatin1String("too_fast") && flag != QLatin1String("many_changes"))
        return error(400, QStringLiteral("flag: too_fast, fast_questions, many_changes, outside_area or no_fix"));
    const QList<InterviewRow> rows = m_store.interviews(f);
    QJsonArray out;
    for (const InterviewRow &i : rows) {
        QJsonObject o = interviewJson(i);
        o.insert(QStringLiteral("place"), i.place); // judged at merge, re-judged by a new area
        out.append(o);
    }
    return json(200, QJsonObject{{QStringLiteral("interviews"), out}, {QStringLiteral("limit"), f.limit},
                                 {QStringLiteral("offset"), f.offset}});
}

WebResponse Dashboard::interviewDetail(const Caller &who, const QString &uuid)
{
    const std::optional<InterviewRow> i = m_store.interview(uuid);
    if (!i || !who.user.sees(i->caseStudy))
        return error(404, QStringLiteral("no such interview"));
    QMap<QString, TypedAnswer> answers;
    for (const TypedAnswer &a : m_store.interviewAnswers(i->versionId))
        answers.insert(a.question, a);
    // The form's order and labels, when its version is published here.
    QJsonArray out;
    for (const PublishedFormRecord &f : m_store.forms({i->caseStudy})) {
        if (f.formId != i->formId || f.version != i->formVersion)
            continue;
        const FormLoadResult loaded = FormLoader::loadJson(f.json, f.formId);
        if (!loaded.ok())
            break;
        for (const Question &q : loaded.form->questions) {
            if (!answers.contains(q.name))
                continue;
            const TypedAnswer a = answers.take(q.name);
            const bool hidden = q.sensitive && !who.coordinator();
            out.append(QJsonObject{{QStringLiteral("question"), q.name},
                                   {QStringLiteral("label"), q.label.text(loaded.form->defaultLanguage, q.name)},
                                   {QStringLiteral("type"), answerTypeName(a.type)},
                                   {QStringLiteral("sensitive"), q.sensitive},
                                   {QStringLiteral("value"), hidden ? QJsonValue() : QJsonValue(a.value)}});
        }
        break;
    }
    for (const TypedAnswer &a : answers) // not in the form (or no form): by name, after the rest
        out.append(QJsonObject{{QStringLiteral("question"), a.question}, {QStringLiteral("label"), a.question},
                               {QStringLiteral("type"), answerTypeName(a.type)}, {QStringLiteral("value"), a.value}});
    QJsonArray timeline;
    for (const ParadataRow &p : m_store.interviewParadata(i->versionId))
        timeline.append(QJsonObject{{QStringLiteral("time"), timeJson(p.time)}, {QStringLiteral("kind"), p.kind},
                                    {QStringLiteral("question"), p.question}, {QStringLiteral("detail"), p.detail}});
    QJsonObject o = interviewJson(*i);
    o.insert(QStringLiteral("answers"), out);
    o.insert(QStringLiteral("paradata"), timeline);
    return json(200, o);
}

WebResponse Dashboard::review(const WebRequest &request, const Caller &who, const QString &uuid)
{
    if (!who.coordinator())
        return forbidden();
    const std::optional<InterviewRow> i = m_store.interview(uuid);
    if (!i || !who.user.sees(i->caseStudy))
        return error(404, QStringLiteral("no such interview"));
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    ReviewRecord r{uuid, body.value(QStringLiteral("state")).toString(), body.value(QStringLiteral("comment")).toString().left(2000),
                   who.user.name, QDateTime::currentDateTimeUtc()};
    static const QStringList states{QStringLiteral("approved"), QStringLiteral("has_issues"), QStringLiteral("rejected")};
    if (!states.contains(r.state))
        return error(400, QStringLiteral("state: approved, has_issues or rejected"));
    if (r.state == QLatin1String("has_issues") && r.comment.trimmed().isEmpty())
        return error(400, QStringLiteral("say what the issues are (comment)"));
    m_store.setReview(r);
    return json(200, interviewJson(*m_store.interview(uuid)));
}

WebResponse Dashboard::conflictList(const Caller &who)
{
    QJsonArray out;
    for (const ConflictRecord &c : m_store.conflicts()) {
        if (!who.user.sees(c.caseStudy))
            continue;
        QJsonObject o{{QStringLiteral("id"), c.id}, {QStringLiteral("kind"), c.kind}, {QStringLiteral("uuid"), c.uuid},
                      {QStringLiteral("caseStudy"), c.caseStudy}, {QStringLiteral("revision"), c.revision},
                      {QStringLiteral("keptDevice"), c.keptDevice}, {QStringLiteral("otherDevice"), c.otherDevice},
                      {QStringLiteral("differences"), QJsonArray::fromStringList(c.differences)},
                      {QStringLiteral("detected"), timeJson(c.detected)}};
        if (const auto v = m_store.conflictVersions(c.id); v && v->kind == QLatin1String("response")) {
            // Sensitive answers hidden from analysts here too, as on the interview page.
            const std::optional<InterviewRow> i = m_store.interview(c.uuid);
            const QSet<QString> hidden = who.coordinator() || !i ? QSet<QString>()
                                                                 : sensitiveQuestions(m_store, c.caseStudy, i->formId, i->formVersion);
            auto side = [&](qint64 version) {
                QJsonObject answers;
                for (const TypedAnswer &a : m_store.interviewAnswers(version))
                    answers.insert(a.question, hidden.contains(a.question) ? QJsonValue() : QJsonValue(a.value));
                return answers;
            };
            o.insert(QStringLiteral("kept"), side(v->keptId));
            o.insert(QStringLiteral("other"), side(v->otherId));
        }
        out.append(o);
    }
    // The latest resolutions: which version was chosen, by whom and when (nothing is deleted).
    QJsonArray resolved;
    for (const ConflictResolution &r : m_store.conflictResolutions(50)) {
        if (who.user.sees(r.caseStudy))
            resolved.append(QJsonObject{{QStringLiteral("id"), r.id}, {QStringLiteral("kind"), r.kind},
                                        {QStringLiteral("uuid"), r.uuid}, {QStringLiteral("caseStudy"), r.caseStudy},
                                        {QStringLiteral("chosen"), r.chosen}, {QStringLiteral("by"), r.resolver},
                                        {QStringLiteral("resolved"), timeJson(r.resolved)}});
    }
    return json(200, QJsonObject{{QStringLiteral("conflicts"), out}, {QStringLiteral("resolved"), resolved}});
}

WebResponse Dashboard::resolve(const WebRequest &request, const Caller &who, qint64 id)
{
    if (!who.coordinator())
        return forbidden();
    const QString choose = QJsonDocument::fromJson(request.body).object().value(QStringLiteral("choose")).toString();
    if (choose != QLatin1String("kept") && choose != QLatin1String("other"))
        return error(400, QStringLiteral("choose: kept or other"));
    bool visible = false;
    for (const ConflictRecord &c : m_store.conflicts())
        visible = visible || (c.id == id && who.user.sees(c.caseStudy));
    if (!visible)
        return error(404, QStringLiteral("no open conflict %1").arg(id));
    m_store.resolveConflict(id, choose == QLatin1String("other"), who.user.name, QDateTime::currentDateTimeUtc());
    return json(200, QJsonObject{{QStringLiteral("resolved"), id}, {QStringLiteral("chosen"), choose},
                                 {QStringLiteral("by"), who.user.name}});
}

} // namespace kerbside::dashboard
