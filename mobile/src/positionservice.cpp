// SPDX-License-Identifier: Apache-2.0
#include "positionservice.h"

#include <QFile>
#include <QGeoPositionInfoSource>
#include <QNmeaPositionInfoSource>

#ifdef Q_OS_ANDROID
// Qt 6.4 has no QPermission (6.5+): the runtime request goes through QtCore's Android helper.
#include <QtCore/private/qandroidextras_p.h>
#endif

namespace kerbside {

PositionService::PositionService(QGeoPositionInfoSource *source, QObject *parent)
    : QObject(parent), m_source(source)
{
    if (!m_source)
        return;
    m_source->setParent(this);
    m_sourceName = m_source->sourceName();
    connect(m_source, &QGeoPositionInfoSource::positionUpdated, this, &PositionService::onUpdate);
    connect(m_source, &QGeoPositionInfoSource::errorOccurred, this,
            [this](QGeoPositionInfoSource::Error e) {
                // ClosedError: an NMEA log that has been replayed to its end keeps its last fix.
                if (e == QGeoPositionInfoSource::NoError || e == QGeoPositionInfoSource::ClosedError)
                    return;
                m_failed = true;
                m_active = false;
                emit statusChanged();
            });
}

PositionService *PositionService::fromNmeaFile(const QString &path, QObject *parent, double uereMetres)
{
    auto *file = new QFile(path);
    if (!file->open(QIODevice::ReadOnly)) {
        qCritical("Cannot read the NMEA log %s: %s", qPrintable(path), qPrintable(file->errorString()));
        delete file;
        return new PositionService(nullptr, parent);
    }
    auto *nmea = new QNmeaPositionInfoSource(QNmeaPositionInfoSource::SimulationMode);
    file->setParent(nmea);
    nmea->setDevice(file);
    nmea->setUserEquivalentRangeError(uereMetres);
    return new PositionService(nmea, parent);
}

PositionService *PositionService::platformDefault(QObject *parent)
{
    return new PositionService(QGeoPositionInfoSource::createDefaultSource(nullptr), parent);
}

double PositionService::latitude() const
{
    return m_last.coordinate().latitude();
}

double PositionService::longitude() const
{
    return m_last.coordinate().longitude();
}

double PositionService::altitude() const
{
    return m_last.coordinate().altitude();
}

double PositionService::accuracy() const
{
    return m_last.hasAttribute(QGeoPositionInfo::HorizontalAccuracy)
               ? m_last.attribute(QGeoPositionInfo::HorizontalAccuracy)
               : qQNaN();
}

Location PositionService::lastLocation() const
{
    Location l;
    if (!m_last.isValid())
        return l;
    l.latitude = latitude();
    l.longitude = longitude();
    l.altitude = altitude();
    l.accuracy = accuracy();
    l.time = m_last.timestamp().toUTC();
    return l;
}

void PositionService::start()
{
    if (!m_source || m_active || m_failed)
        return;
#ifdef Q_OS_ANDROID
    // Android 6+ asks the fieldworker once at run time (the manifest alone is not enough).
    // The interview never waits: without the permission it runs with "No GPS".
    const QString fine = QStringLiteral("android.permission.ACCESS_FINE_LOCATION");
    if (QtAndroidPrivate::checkPermission(fine).result() != QtAndroidPrivate::Authorized) {
        if (m_asked)
            return;
        m_asked = true;
        QtAndroidPrivate::requestPermission(fine).then(this, [this](QtAndroidPrivate::PermissionResult r) {
            if (r == QtAndroidPrivate::Authorized)
                start();
            else {
                m_failed = true;
                emit statusChanged();
            }
        });
        return;
    }
#endif
    m_active = true;
    m_source->startUpdates();
    emit statusChanged();
}

void PositionService::stop()
{
    if (!m_source || !m_active)
        return;
    m_source->stopUpdates();
    m_active = false;
    emit statusChanged();
}

void PositionService::onUpdate(const QGeoPositionInfo &info)
{
    if (!info.isValid())
        return;
    m_last = info;
    emit positionChanged();
}

} // namespace kerbside
