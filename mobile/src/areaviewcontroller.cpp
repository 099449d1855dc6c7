// SPDX-License-Identifier: Apache-2.0
#include "areaviewcontroller.h"

#include "fieldworkstate.h"
#include "geo/areacheck.h"
#include "positionservice.h"
#include "preferences.h"
#include "storeservice.h"
#include "uistrings.h"

namespace kerbside {

AreaViewController::AreaViewController(QObject *parent) : ServiceController(parent)
{ }

void AreaViewController::setViewWidth(double w)
{
    if (qFuzzyCompare(w, m_width))
        return;
    m_width = w;
    layout();
}

void AreaViewController::setViewHeight(double h)
{
    if (qFuzzyCompare(h, m_height))
        return;
    m_height = h;
    layout();
}

void AreaViewController::watchStore(StoreService *s)
{
    connect(s, &StoreService::changed, this, &AreaViewController::refresh);
}

void AreaViewController::watchPrefs(Preferences *p)
{
    connect(p, &Preferences::caseStudyChanged, this, &AreaViewController::refresh);
    connect(p, &Preferences::uiLanguageChanged, this, &AreaViewController::layout);
}

void AreaViewController::watchPosition(PositionService *p)
{
    connect(p, &PositionService::positionChanged, this, &AreaViewController::layout);
}

void AreaViewController::servicesUpdated(Service which)
{
    if (which == Service::Position)
        layout();
    else
        refresh();
}

void AreaViewController::refresh()
{
    m_area.reset();
    m_areaVersion = 0;
    m_interviewFixes.clear();
    if (m_store && m_prefs) {
        const QString cs = m_prefs->caseStudy();
        const DeviceArea a = deviceArea(m_store->store(), cs);
        m_area = a.area;
        m_areaVersion = a.version;
        const QList<ResponseMeta> done
            = m_store->store().responses({ResponseStatus::Complete, ResponseStatus::Partial,
                                          ResponseStatus::Refused, ResponseStatus::ScreenedOut},
                                         cs);
        for (const ResponseMeta &m : done) {
            if (m.location.isValid())
                m_interviewFixes.push_back({m.location.longitude, m.location.latitude});
        }
    }
    layout();
}

void AreaViewController::layout()
{
    const bool fix = m_position && m_position->hasFix();
    const geo::LonLat here {fix ? m_position->longitude() : 0, fix ? m_position->latitude() : 0};
    // Fit the area, the interviews and the fieldworker, so nothing drawn falls off the edge.
    std::vector<geo::LonLat> points = m_area ? geo::areaPositions(*m_area) : std::vector<geo::LonLat> {};
    points.insert(points.end(), m_interviewFixes.begin(), m_interviewFixes.end());
    if (fix)
        points.push_back(here);
    const geo::ViewProjection v = geo::ViewProjection::fit(points, m_width, m_height, kMarginPx);

    m_rings.clear();
    m_dots.clear();
    m_hasPosition = fix && v.isValid();
    m_here = {};
    if (v.isValid()) {
        auto px = [&](geo::LonLat p) {
            const auto q = v.toView(p);
            return QPointF(q.x, q.y);
        };
        if (m_area) {
            auto addRing = [&](const geo::Ring &ring) {
                QPolygonF poly;
                poly.reserve(qsizetype(ring.size()));
                for (const geo::LonLat &p : ring)
                    poly.append(px(p));
                m_rings.append(poly);
            };
            for (const geo::Polygon &p : m_area->polygons()) {
                addRing(p.outer);
                for (const geo::Ring &h : p.holes)
                    addRing(h);
            }
        }
        for (const geo::LonLat &p : m_interviewFixes)
            m_dots.append(px(p));
        if (m_hasPosition)
            m_here = px(here);
    }
    const geo::ViewProjection::ScaleBar bar = v.scaleBar(m_width * kScaleBarMaxFraction);
    m_scalePixels = bar.pixels;
    m_scaleLabel = bar.metres <= 0 ? QString()
        : bar.metres >= 1000       ? QStringLiteral("%1 km").arg(bar.metres / 1000)
                                   : QStringLiteral("%1 m").arg(bar.metres);

    const QString lang = m_prefs ? m_prefs->uiLanguage() : QString();
    const QString name = m_prefs ? m_prefs->caseStudyName() : QString();
    if (!m_area) {
        m_status = UiStrings::text(QStringLiteral("area_none"), lang).arg(name);
    } else if (!fix) {
        m_status = UiStrings::text(QStringLiteral("area_no_fix"), lang);
    } else {
        const AreaCheck c = geo::checkAgainstArea(m_area.get(), m_areaVersion, m_position->lastLocation());
        m_status = c.inside == InsideArea::Yes
            ? UiStrings::text(QStringLiteral("area_inside"), lang).arg(name)
            : UiStrings::text(QStringLiteral("area_outside"), lang)
                  .arg(QString::number(qRound64(c.distanceMetres)), name);
    }
    emit viewChanged();
}

} // namespace kerbside
