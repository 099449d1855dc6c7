// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servicecontroller.h"

#include <QVariantList>

namespace kerbside {

/** Home's quota panel for the chosen case study: progress against its total target and every
 *  cell with a target, most needed first, each as achieved / target. The figures are the
 *  collector's counts as of the last sync plus this tablet's completes not acknowledged since
 *  (knownQuotaCounts), so they are right offline; `asOf` says when they were synced. */
class QuotaController : public kerbside::ServiceController // qualified: see ServiceController
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool hasPlan READ hasPlan NOTIFY changed)
    Q_PROPERTY(int totalTarget READ totalTarget NOTIFY changed)
    Q_PROPERTY(int totalAchieved READ totalAchieved NOTIFY changed) // toward the target (a cell counts up to its target)
    Q_PROPERTY(double fraction READ fraction NOTIFY changed)        // 0..1
    Q_PROPERTY(QString totalText READ totalText NOTIFY changed)     // "38 of 120 interviews"
    Q_PROPERTY(QString asOf READ asOf NOTIFY changed)               // "Figures from the last sync, 14:05"
    Q_PROPERTY(QString modeText READ modeText NOTIFY changed)       // what happens when a cell is full
    // [{cell, label, achieved, target, full}], most needed first.
    Q_PROPERTY(QVariantList cells READ cells NOTIFY changed)
    Q_PROPERTY(int screenedOut READ screenedOut NOTIFY changed) // this tablet's, this case study

public:
    explicit QuotaController(QObject *parent = nullptr);

    bool hasPlan() const { return m_hasPlan; }
    int totalTarget() const { return m_totalTarget; }
    int totalAchieved() const { return m_totalAchieved; }
    double fraction() const { return m_totalTarget > 0 ? double(m_totalAchieved) / m_totalTarget : 0.0; }
    QString totalText() const { return m_totalText; }
    QString asOf() const { return m_asOf; }
    QString modeText() const { return m_modeText; }
    QVariantList cells() const { return m_cells; }
    int screenedOut() const { return m_screenedOut; }

    Q_INVOKABLE void refresh();

signals:
    void changed();

private:
    void watchStore(StoreService *s) override;
    void watchPrefs(Preferences *p) override;
    void watchCatalogue(FormCatalogue *c) override;
    void servicesUpdated(Service which) override;
    void clear();

    bool m_hasPlan = false;
    int m_totalTarget = 0;
    int m_totalAchieved = 0;
    int m_screenedOut = 0;
    QString m_totalText;
    QString m_asOf;
    QString m_modeText;
    QVariantList m_cells;
};

} // namespace kerbside
