// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/devicestore.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace kerbside {

/** The device store as a long-lived app service: owns the DeviceStore (built in main()) and
 *  announces changes so every screen's counts and lists refresh. Controllers write through
 *  store() and call notifyChanged() afterwards. */
class StoreService : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The store is opened in main() and handed to the screens")
    Q_PROPERTY(QString path READ path CONSTANT)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)

public:
    explicit StoreService(std::unique_ptr<DeviceStore> store, QObject *parent = nullptr);
    ~StoreService() override;

    DeviceStore &store() { return *m_store; }
    const DeviceStore &store() const { return *m_store; }
    QString path() const;

    void notifyChanged() { emit changed(); }
    // A failed write shown to the fieldworker in plain words (nothing is ever dropped silently).
    QString lastError() const { return m_lastError; }
    void reportError(const QString &message);
    Q_INVOKABLE void clearError();
    // Something the fieldworker must know that is not a failed write (e.g. what was saved from
    // a damaged store at start-up); shown until dismissed.
    QString notice() const { return m_notice; }
    void setNotice(const QString &notice);
    Q_INVOKABLE void clearNotice() { setNotice({}); }

    QString setting(QLatin1StringView key, const QString &fallback = {}) const;
    void setSetting(QLatin1StringView key, const QString &value);

signals:
    void changed();
    void lastErrorChanged();
    void noticeChanged();

private:
    std::unique_ptr<DeviceStore> m_store;
    QString m_lastError;
    QString m_notice;
};

} // namespace kerbside
