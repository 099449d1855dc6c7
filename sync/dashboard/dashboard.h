// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "loginlimiter.h"
#include "webtypes.h"

#include "areahistory.h"
#include "dashboardtypes.h"
#include "exportjobs.h"
#include "fieldworkplan.h"
#include "publishedforms.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>

#include <chrono>
#include <optional>

namespace kerbside {
class CollectorStore;
}

namespace kerbside::dashboard {

struct DashboardOptions
{
    QString webDir;     // the pages (sync/dashboard/web, installed or from the source tree)
    QString leafletDir; // Debian's libjs-leaflet: /usr/share/javascript/leaflet
    QString tilesUrl;   // `kerbside serve --tiles URL`; "" draws no base map
    std::chrono::seconds idleExpiry{30 * 60}; // a session unused this long is gone
    int tooFastSeconds = 300; // interviews shorter than this are flagged "too fast"
    double fastQuestionSeconds = 2; // ... and those whose median question took less than this
};

/** The coordinator's dashboard: pages under `/`, JSON under `/api/v1/`, as plain functions
 *  from a WebRequest to a WebResponse over a CollectorStore, so any HTTP server can carry it
 *  (the collector's serves `/`, `/static/`, `/vendor/` and `/api/` through handle()).
 *  Every answer carries the security headers (CSP default-src 'self', nosniff, no framing).
 *  Thread-safe: the store serialises, the limiter locks. */
class Dashboard
{
public:
    Dashboard(CollectorStore &store, DashboardOptions options);

    // Whether the path is the dashboard's (the server sends the rest to the sync endpoints).
    static bool owns(const QString &path);
    WebResponse handle(const WebRequest &request);
    // CSP default-src 'self' with frame-ancestors 'none', nosniff, no framing, no referrer, no
    // caching: on every answer of handle(), and (addRoutes) on the HTTP server's own refusals.
    QList<QPair<QByteArray, QByteArray>> securityHeaders() const;

    struct Caller
    {
        DashboardSession session;
        DashboardUser user;
        bool coordinator() const { return user.role == QLatin1String("coordinator"); }
    };

private:
    WebResponse route(const WebRequest &request);
    WebResponse page(const WebRequest &request);
    WebResponse file(const QString &dir, const QString &relative);
    std::optional<Caller> caller(const WebRequest &request);
    WebResponse api(const WebRequest &request, const Caller &who);

    WebResponse login(const WebRequest &request);
    WebResponse logout(const WebRequest &request, const Caller &who);
    WebResponse changePassword(const WebRequest &request, const Caller &who);
    WebResponse sessionInfo(const Caller &who);
    WebResponse overview(const Caller &who);
    WebResponse caseStudy(const Caller &who, const QString &id);
    WebResponse map(const WebRequest &request, const Caller &who, const QString &id);
    WebResponse fieldworkers(const WebRequest &request, const Caller &who);
    WebResponse tablets(const Caller &who);
    WebResponse enrol(const WebRequest &request, const Caller &who);
    WebResponse revoke(const Caller &who, const QString &id);
    WebResponse interviewList(const WebRequest &request, const Caller &who);
    WebResponse interviewDetail(const Caller &who, const QString &uuid);
    WebResponse review(const WebRequest &request, const Caller &who, const QString &uuid);
    WebResponse conflictList(const Caller &who);
    WebResponse resolve(const WebRequest &request, const Caller &who, qint64 id);
    WebResponse formList(const Caller &who);
    WebResponse formUpload(const WebRequest &request, const Caller &who);
    WebResponse exportZip(const WebRequest &request, const Caller &who);
    std::optional<ExportOptions> exportOptions(const WebRequest &request, const Caller &who, WebResponse *refusal);
    WebResponse exportStart(const WebRequest &request, const Caller &who);
    WebResponse exportJob(const Caller &who, const QString &id, bool download);

    // The fieldwork plan on the pages (dashboardplan.cpp).
    struct PlaceCount
    {
        qint64 inside = 0, outside = 0, noFix = 0, noArea = 0;
        void add(const PlaceCount &o) { inside += o.inside; outside += o.outside; noFix += o.noFix; noArea += o.noArea; }
        QJsonObject toJson() const;
    };
    struct QuestionTimes
    {
        qint64 interviews = 0;     // with pages shown
        double medianSeconds = 0;  // median over them of each one's median question time
        qint64 fast = 0;           // median question time under the threshold
    };
    std::shared_ptr<const Form> planForm(const quota::Plan &plan);
    QJsonObject quotaJson(const QuotaStatus &status);
    QHash<QString, QJsonObject> quotas(const QStringList &caseStudies);
    QJsonValue areaJson(const QString &caseStudy);
    QHash<QString, AreaHistory> areaHistories(const QStringList &caseStudies);
    QMap<QPair<QString, QString>, PlaceCount> placeCounts(const QStringList &caseStudies); // (case study, fieldworker)
    QJsonObject timeSlots(const QString &caseStudy);
    QMap<QString, QuestionTimes> questionTimes(const QStringList &caseStudies, double fastSeconds); // by fieldworker

    QStringList visibleCaseStudies(const Caller &who);

    CollectorStore &m_store;
    DashboardOptions m_options;
    LoginLimiter m_limiter;
    PublishedForms m_forms; // quota cell labels
    ExportJobs m_exports;
};

// JSON helpers shared by the handlers.
WebResponse json(int status, const QJsonObject &object);
WebResponse error(int status, const QString &message);

} // namespace kerbside::dashboard
