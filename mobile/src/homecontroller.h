// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servicecontroller.h"

#include <QTimer>
#include <QVariantList>

namespace kerbside {

/** The home screen's state: counts for the chosen case study, the draft to resume, and
 *  "Log approach" (an approach that ended without an interview, for response rates). */
class HomeController : public kerbside::ServiceController // qualified: see ServiceController
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int today READ today NOTIFY countsChanged)
    Q_PROPERTY(int all READ all NOTIFY countsChanged)
    Q_PROPERTY(int waiting READ waiting NOTIFY countsChanged)
    Q_PROPERTY(int drafts READ drafts NOTIFY countsChanged)
    Q_PROPERTY(int contacts READ contacts NOTIFY countsChanged)
    Q_PROPERTY(bool hasDraft READ hasDraft NOTIFY countsChanged)
    Q_PROPERTY(QString draftUuid READ draftUuid NOTIFY countsChanged)
    Q_PROPERTY(QString draftFormTitle READ draftFormTitle NOTIFY countsChanged)
    Q_PROPERTY(QString draftUpdated READ draftUpdated NOTIFY countsChanged) // "14:05", local
    // Every draft, newest first: [{uuid, title, progress: "page 7 of 13, 12 min ago"}].
    Q_PROPERTY(QVariantList draftList READ draftList NOTIFY countsChanged)
    Q_PROPERTY(QString selectedFormId READ selectedFormId WRITE setSelectedFormId NOTIFY selectedFormIdChanged)
    Q_PROPERTY(QStringList dispositions READ dispositions CONSTANT)
    // What may be noted of someone approached, from the selected form's own age_band and
    // gender lists: [{name, label}] in the interface language; empty when the form has none.
    Q_PROPERTY(QVariantList ageBands READ ageBands NOTIFY observedChanged)
    Q_PROPERTY(QVariantList genders READ genders NOTIFY observedChanged)
    Q_PROPERTY(QString lastMessage READ lastMessage NOTIFY lastMessageChanged)

public:
    explicit HomeController(QObject *parent = nullptr);

    int today() const { return m_today; }
    int all() const { return m_all; }
    int waiting() const { return m_waiting; }
    int drafts() const { return m_drafts; }
    int contacts() const { return m_contacts; }
    bool hasDraft() const { return !m_draftUuid.isEmpty(); }
    QString draftUuid() const { return m_draftUuid; }
    QString draftFormTitle() const { return m_draftFormTitle; }
    QString draftUpdated() const { return m_draftUpdated; }
    QVariantList draftList() const { return m_draftList; }
    QString selectedFormId() const { return m_selectedFormId; }
    void setSelectedFormId(const QString &id);
    QStringList dispositions() const; // disposition codes, in the order shown
    QVariantList ageBands() const { return observed(QStringLiteral("age_band")); }
    QVariantList genders() const { return observed(QStringLiteral("gender")); }
    QString lastMessage() const { return m_lastMessage; }
    static constexpr int kMessageMs = 4000; // how long "Approach saved." stays

    Q_INVOKABLE void refresh();
    // Two taps: a disposition, then optionally an age band / gender (empty = not noted).
    Q_INVOKABLE bool logApproach(const QString &disposition, const QString &ageBand = {},
                                 const QString &gender = {});

signals:
    void countsChanged();
    void selectedFormIdChanged();
    void observedChanged();
    void lastMessageChanged();

private:
    void watchStore(StoreService *s) override;
    void watchPrefs(Preferences *p) override;
    void watchCatalogue(FormCatalogue *c) override;
    void servicesUpdated(Service which) override;
    void setLastMessage(const QString &m);
    QVariantList observed(const QString &question) const;
    bool isObserved(const QString &question, const QString &code) const; // "" counts (not noted)

    int m_today = 0;
    int m_all = 0;
    int m_waiting = 0;
    int m_drafts = 0;
    int m_contacts = 0;
    QString m_draftUuid;
    QString m_draftFormTitle;
    QString m_draftUpdated;
    QVariantList m_draftList;
    QTimer *m_fade;    // clears lastMessage: a message fades rather than staying for minutes
    QTimer *m_minutes; // "12 min ago" stays true while Home is open
    QString m_selectedFormId;
    QString m_lastMessage;
};

} // namespace kerbside
