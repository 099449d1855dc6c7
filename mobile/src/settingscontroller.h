// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servicecontroller.h"

namespace kerbside {

/** The Settings screen: text size, high contrast, interface language and the identity set
 *  at first run, all kept in Preferences; plus where the data and forms are, for support. */
class SettingsController : public kerbside::ServiceController // qualified: see ServiceController
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString dataPath READ dataPath NOTIFY servicesChanged)
    Q_PROPERTY(QString formsFolder READ formsFolder NOTIFY servicesChanged)
    Q_PROPERTY(QStringList formProblems READ formProblems NOTIFY servicesChanged)

public:
    explicit SettingsController(QObject *parent = nullptr);

    QString dataPath() const;
    QString formsFolder() const;
    QStringList formProblems() const;

    Q_INVOKABLE void biggerText();
    Q_INVOKABLE void smallerText();
};

} // namespace kerbside
