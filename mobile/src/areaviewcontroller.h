// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servicecontroller.h"

#include "geo/viewprojection.h"

#include <QPointF>
#include <QPolygonF>
#include <QVariantList>

#include <memory>

namespace kerbside {

/** The area view (i12): the case study's boundary, the fieldworker's position and this
 *  tablet's interviews, projected to the view's pixels here (geo::ViewProjection) so QML only
 *  draws: `rings` feeds a Shapes PathMultiline, `dots` and the position are points, the scale
 *  bar comes as a length in pixels with its label. Everything is offline: the area is the one
 *  downloaded with the forms. */
class AreaViewController : public kerbside::ServiceController // qualified: see ServiceController
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(double viewWidth READ viewWidth WRITE setViewWidth NOTIFY viewChanged)
    Q_PROPERTY(double viewHeight READ viewHeight WRITE setViewHeight NOTIFY viewChanged)
    Q_PROPERTY(bool hasArea READ hasArea NOTIFY viewChanged)
    Q_PROPERTY(int areaVersion READ areaVersion NOTIFY viewChanged)
    Q_PROPERTY(QVariant rings READ rings NOTIFY viewChanged) // QList<QPolygonF>, pixels
    Q_PROPERTY(QVariantList dots READ dots NOTIFY viewChanged) // QPointF per located interview
    Q_PROPERTY(int interviews READ interviews NOTIFY viewChanged) // finalised here, with a fix
    Q_PROPERTY(bool hasPosition READ hasPosition NOTIFY viewChanged)
    Q_PROPERTY(QPointF here READ here NOTIFY viewChanged) // the fieldworker, in pixels
    Q_PROPERTY(double scalePixels READ scalePixels NOTIFY viewChanged)
    Q_PROPERTY(QString scaleLabel READ scaleLabel NOTIFY viewChanged) // "500 m", "2 km"
    Q_PROPERTY(QString status READ status NOTIFY viewChanged) // inside / how far outside / no fix

public:
    explicit AreaViewController(QObject *parent = nullptr);

    double viewWidth() const { return m_width; }
    void setViewWidth(double w);
    double viewHeight() const { return m_height; }
    void setViewHeight(double h);
    bool hasArea() const { return m_area != nullptr; }
    int areaVersion() const { return m_areaVersion; }
    QVariant rings() const { return QVariant::fromValue(m_rings); }
    QVariantList dots() const { return m_dots; }
    int interviews() const { return int(m_dots.size()); }
    bool hasPosition() const { return m_hasPosition; }
    QPointF here() const { return m_here; }
    double scalePixels() const { return m_scalePixels; }
    QString scaleLabel() const { return m_scaleLabel; }
    QString status() const { return m_status; }

    Q_INVOKABLE void refresh(); // reloads the area and the interviews from the store

    static constexpr double kMarginPx = 24;
    static constexpr double kScaleBarMaxFraction = 0.35; // of the view's width

signals:
    void viewChanged();

private:
    void watchStore(StoreService *s) override;
    void watchPrefs(Preferences *p) override;
    void watchPosition(PositionService *p) override;
    void servicesUpdated(Service which) override;
    void layout(); // projects what refresh() loaded into the current view size

    double m_width = 0;
    double m_height = 0;
    std::shared_ptr<const geo::Area> m_area;
    int m_areaVersion = 0;
    std::vector<geo::LonLat> m_interviewFixes;
    QList<QPolygonF> m_rings;
    QVariantList m_dots;
    bool m_hasPosition = false;
    QPointF m_here;
    double m_scalePixels = 0;
    QString m_scaleLabel;
    QString m_status;
};

} // namespace kerbside
