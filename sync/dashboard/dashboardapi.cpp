// SPDX-License-Identifier: Apache-2.0
// Dashboard: the JSON handlers under /api/v1/ (thin: each reads CollectorStore and answers).
#include "dashboard.h"

#include "credentials.h"
#include "collectorstore.h"
#include "form/formloader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

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

// What the overview and a case study count, from the counters kept at merge.
struct Tally
{
    qint64 complete = 0, partial = 0, refused = 0, screenedOut = 0, draft = 0, discarded = 0;
    qint64 contactRefused = 0, notResident = 0, ineligible = 0, languageBarrier = 0, comeBackLater = 0, otherContact = 0;

    void add(const QString &kind, qint64 n)
    {
        if (kind == QLatin1String("complete")) complete += n;
        else if (kind == QLatin1String("partial")) partial += n;
        else if (kind == QLatin1String("refused")) refused += n;
        else if (kind == QLatin1String("screened_out")) screenedOut += n;
        else if (kind == QLatin1String("draft")) draft += n;
        else if (kind == QLatin1String("discarded")) discarded += n;
        else if (kind == QLatin1String("contact:refused")) contactRefused += n;
        else if (kind == QLatin1String("contact:not_resident")) notResident += n;
        else if (kind == QLatin1String("contact:ineligible")) ineligible += n;
        else if (kind == QLatin1String("contact:language_barrier")) languageBarrier += n;
        else if (kind == QLatin1String("contact:come_back_later")) comeBackLater += n;
        else if (kind.startsWith(QLatin1String("contact:"))) otherContact += n;
    }
    QJsonObject toJson() const
    {
        // AAPOR RR1 = I / (I + P + R + NC + O) and COOP1 = I / (I + P + R), with I complete,
        // P partial, R refusals (in the interview or at the door), NC no contact (not at home,
        // come back later), O other (language); ineligible and screened-out are left out.
        // i11 owns the exports' definitions; these follow the same AAPOR formulas.
        const qint64 r = refused + contactRefused;
        const qint64 nc = notResident + comeBackLater;
        const qint64 o = languageBarrier + otherContact;
        const qint64 rrBase = complete + partial + r + nc + o;
        const qint64 coopBase = complete + partial + r;
        return QJsonObject{
            {QStringLiteral("complete"), complete}, {QStringLiteral("partial"), partial},
            {QStringLiteral("refused"), r}, {QStringLiteral("screenedOut"), screenedOut},
            {QStringLiteral("approaches"), complete + partial + refused + screenedOut + contactRefused + notResident
                                               + ineligible + languageBarrier + comeBackLater + otherContact},
            {QStringLiteral("noContact"), nc}, {QStringLiteral("ineligible"), ineligible},
            {QStringLiteral("rr1"), rrBase ? QJsonValue(double(complete) / double(rrBase)) : QJsonValue()},
            {QStringLiteral("coop1"), coopBase ? QJsonValue(double(complete) / double(coopBase)) : QJsonValue()},
        };
    }
};

QJsonObject deviceJson(const DeviceRecord &d)
{
    return QJsonObject{{QStringLiteral("id"), d.id}, {QStringLiteral("label"), d.label},
                       {QStringLiteral("caseStudies"), QJsonArray::fromStringList(d.caseStudies)},
                       {QStringLiteral("enrolled"), timeJson(d.enrolled)}, {QStringLiteral("revoked"), timeJson(d.revoked)},
                       {QStringLiteral("lastSeen"), timeJson(d.lastSeen)}, {QStringLiteral("lastSync"), timeJson(d.lastBatch)},
                       {QStringLiteral("batches"), d.batches}, {QStringLiteral("responses"), d.responses},
                       {QStringLiteral("contacts"), d.contacts}, {QStringLiteral("missingBatches"), d.missingSequences}};
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
    QJsonArray rows;
    Tally total;
    for (const CaseStudyRecord &c : m_store.caseStudies()) {
        if (!visible.contains(c.id))
            continue;
        const Tally t = tallies.value(c.id);
        total.complete += t.complete; total.partial += t.partial; total.refused += t.refused;
        total.screenedOut += t.screenedOut; total.contactRefused += t.contactRefused; total.notResident += t.notResident;
        total.ineligible += t.ineligible; total.languageBarrier += t.languageBarrier; total.comeBackLater += t.comeBackLater;
        total.otherContact += t.otherContact;
        QJsonObject row = t.toJson();
        row.insert(QStringLiteral("id"), c.id);
        row.insert(QStringLiteral("name"), c.name);
        row.insert(QStringLiteral("target"), QJsonValue()); // quotas and targets: i12's plan
        row.insert(QStringLiteral("quotaCells"), QJsonArray());
        row.insert(QStringLiteral("tablets"), tabletsOf.value(c.id));
        rows.append(row);
    }
    return json(200, QJsonObject{{QStringLiteral("caseStudies"), rows}, {QStringLiteral("total"), total.toJson()},
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
    o.insert(QStringLiteral("area"), QJsonValue()); // i12's case-study areas, when they land
    if (const std::optional<GeoBox> e = m_store.mapExtent(id))
        o.insert(QStringLiteral("extent"), QJsonObject{{QStringLiteral("south"), e->south}, {QStringLiteral("west"), e->west},
                                                       {QStringLiteral("north"), e->north}, {QStringLiteral("east"), e->east}});
    o.insert(QStringLiteral("quotas"), QJsonArray());
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
        QJsonArray out;
        for (const MapPoint &p : m_store.mapPoints(id, box, kMaxPoints))
            out.append(QJsonArray{p.uuid, p.latitude, p.longitude, p.status, p.enumerator});
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
        QJsonObject o{{QStringLiteral("fieldworker"), f.enumerator}, {QStringLiteral("interviews"), f.interviews}};
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
                                 {QStringLiteral("fieldworkers"), rows}, {QStringLiteral("days"), days}});
}

WebResponse Dashboard::tablets(const Caller &who)
{
    QJsonArray out;
    for (const DeviceRecord &d : m_store.devices()) {
        bool visible = false;
        for (const QString &cs : d.caseStudies)
            visible = visible || who.user.sees(cs);
        if (visible)
            out.append(deviceJson(d));
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
    if (request.query.value(QStringLiteral("flag")) == QLatin1String("too_fast"))
        f.shorterThanMs = qint64(std::clamp(request.query.value(QStringLiteral("tooFast"), QString::number(m_options.tooFastSeconds)).toInt(), 1, 86400)) * 1000;
    f.limit = std::clamp(request.query.value(QStringLiteral("limit"), QStringLiteral("100")).toInt(), 1, 1000);
    f.offset = std::max(0, request.query.value(QStringLiteral("offset")).toInt());
    QJsonArray out;
    for (const InterviewRow &i : m_store.interviews(f))
        out.append(interviewJson(i));
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
            auto side = [&](qint64 version) {
                QJsonObject answers;
                for (const TypedAnswer &a : m_store.interviewAnswers(version))
                    answers.insert(a.question, a.value);
                return answers;
            };
            o.insert(QStringLiteral("kept"), side(v->keptId));
            o.insert(QStringLiteral("other"), side(v->otherId));
        }
        out.append(o);
    }
    return json(200, QJsonObject{{QStringLiteral("conflicts"), out}});
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
