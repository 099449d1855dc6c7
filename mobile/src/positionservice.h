// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/storetypes.h"

#include <QGeoPositionInfo>
#include <QObject>
#include <QtQml/qqmlregistration.h>

class QGeoPositionInfoSource;

namespace kerbside {

/** The device position, for the interview's location and geopoint questions. Wraps a Qt
 *  Positioning source: the platform's, an NMEA log replayed in simulation mode (--nmea, for
 *  desktop and tests) or none at all. Never blocks: callers read the last fix and listen. */
class PositionService : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The position source is chosen in main() and handed to the screens")
    Q_PROPERTY(bool available READ available NOTIFY statusChanged)
    Q_PROPERTY(bool active READ active NOTIFY statusChanged)
    Q_PROPERTY(bool hasFix READ hasFix NOTIFY positionChanged)
    Q_PROPERTY(double latitude READ latitude NOTIFY positionChanged)
    Q_PROPERTY(double longitude READ longitude NOTIFY positionChanged)
    Q_PROPERTY(double altitude READ altitude NOTIFY positionChanged)
    Q_PROPERTY(double accuracy READ accuracy NOTIFY positionChanged) // metres; NaN when unknown
    Q_PROPERTY(QString sourceName READ sourceName CONSTANT)

public:
    // Takes ownership of `source`, which may be null (no positioning on this device).
    explicit PositionService(QGeoPositionInfoSource *source, QObject *parent = nullptr);
    // An NMEA log replayed at its own pace; Qt reports accuracy as 2 x HDOP x `uereMetres`.
    static PositionService *fromNmeaFile(const QString &path, QObject *parent = nullptr,
                                         double uereMetres = 5.0);
    static PositionService *platformDefault(QObject *parent = nullptr);

    bool available() const { return m_source != nullptr && !m_failed; }
    bool active() const { return m_active; }
    bool hasFix() const { return m_last.isValid(); }
    double latitude() const;
    double longitude() const;
    double altitude() const;
    double accuracy() const;
    QString sourceName() const { return m_sourceName; }

    Location lastLocation() const; // invalid when there is no fix yet

    Q_INVOKABLE void start(); // idempotent; a fix arrives later through positionChanged
    Q_INVOKABLE void stop();

signals:
    void positionChanged();
    void statusChanged();

private:
    void onUpdate(const QGeoPositionInfo &info);

    QGeoPositionInfoSource *m_source = nullptr;
    QString m_sourceName;
    QGeoPositionInfo m_last;
    bool m_active = false;
    bool m_failed = false;
#ifdef Q_OS_ANDROID
    bool m_asked = false; // the location permission was requested once
#endif
};

} // namespace kerbside
